using Npgsql;

namespace ModelPerformance.Tests.Infrastructure;

/// <summary>A silo's row in OrleansMembershipTable; Status is Orleans' SiloStatus (3 Active, 6 Dead).</summary>
public sealed record MembershipRow(string Address, int Port, int Generation, int Status)
{
    public const int Active = 3;
    public const int Dead = 6;

    public bool Is(SiloAddress silo) =>
        Address == silo.Endpoint.Address.ToString() && Port == silo.Endpoint.Port && Generation == silo.Generation;
}

/// <summary>Reads the Orleans provider tables directly, to check what the providers wrote.</summary>
public static class OrleansTables
{
    public static async Task<IReadOnlyList<MembershipRow>> MembershipAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Address, Port, Generation, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MembershipRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new MembershipRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        }
        return rows;
    }

    /// <summary>The grain-state rows of a service whose key or key extension is <paramref name="keyText"/>, or whose integer key is <paramref name="integerKey"/>: (Version, has payload).</summary>
    public static async Task<IReadOnlyList<(int Version, bool HasPayload)>> StorageRowsAsync(
        string connectionString, string serviceId, string? keyText = null, long? integerKey = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT Version, PayloadBinary IS NOT NULL FROM OrleansStorage
            WHERE ServiceId = @service
              AND (GrainIdExtensionString = @key OR GrainIdN1 = @integerKey)
            """, connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("key", (object?)keyText ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        command.Parameters.AddWithValue("integerKey", (object?)integerKey ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetBoolean(1)));
        }
        return rows;
    }
}
