using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.Storage;

/// <summary>What the PostgreSQL stores share: optional text parameters and reading every row of a query.</summary>
internal static class Sql
{
    /// <summary>A text parameter that is SQL NULL for null, so that <c>@name IS NULL</c> filters work.</summary>
    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(read(reader));
        }
        return result;
    }
}
