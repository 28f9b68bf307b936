using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Storage;
using Npgsql;

namespace ModelPerformance.Grains.Security;

public sealed class PostgresApiKeyStore(NpgsqlDataSource dataSource) : IApiKeyStore
{
    private const string Columns = "id, name, roles, key_hash, created_at, last_used_at, revoked_at";

    public async Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO model_api_keys (id, name, roles, key_hash, created_at) VALUES (@id, @name, @roles, @hash, @created)");
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("name", key.Name);
        command.Parameters.AddWithValue("roles", key.Roles.Select(r => Names.Of(r)).ToArray());
        command.Parameters.AddWithValue("hash", key.KeyHash);
        command.Parameters.AddWithValue("created", key.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiKeyRecord?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM model_api_keys WHERE key_hash = @hash");
        command.Parameters.AddWithValue("hash", keyHash);
        return (await Sql.ReadAllAsync(command, Read, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM model_api_keys ORDER BY created_at DESC, id DESC");
        return await Sql.ReadAllAsync(command, Read, cancellationToken);
    }

    public async Task<ApiKeyRecord?> RevokeAsync(Guid id, DateTime at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE model_api_keys SET revoked_at = coalesce(revoked_at, @at) WHERE id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("at", at);
        return (await Sql.ReadAllAsync(command, Read, cancellationToken)).FirstOrDefault();
    }

    public async Task TouchAsync(Guid id, DateTime at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE model_api_keys SET last_used_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ApiKeyRecord Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2).Select(Names.Parse<Role>).ToList(), reader.GetString(3),
        reader.GetFieldValue<DateTime>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTime>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTime>(6));
}
