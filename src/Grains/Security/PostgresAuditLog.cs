using ModelPerformance.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.Security;

public sealed class PostgresAuditLog(NpgsqlDataSource dataSource) : IAuditLog
{
    public async Task WriteAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY model_audit_log (at, actor, operation, target, succeeded, code) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var e in entries)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(e.At, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(e.Actor, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Operation, NpgsqlDbType.Text, cancellationToken);
            await WriteTextAsync(importer, e.Target, cancellationToken);
            await importer.WriteAsync(e.Succeeded, NpgsqlDbType.Boolean, cancellationToken);
            await WriteTextAsync(importer, e.Code, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(string? actor, string? operation, int first, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT at, actor, operation, target, succeeded, code FROM model_audit_log WHERE (@actor IS NULL OR actor = @actor) " +
            "AND (@operation IS NULL OR operation = @operation) ORDER BY at DESC, id DESC LIMIT @first");
        command.Parameters.Add(Sql.Text("actor", actor));
        command.Parameters.Add(Sql.Text("operation", operation));
        command.Parameters.AddWithValue("first", first);
        return await Sql.ReadAllAsync(command, r => new AuditEntry(r.GetFieldValue<DateTime>(0), r.GetString(1), r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3), r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetString(5)), cancellationToken);
    }
}
