using Npgsql;

namespace ModelPerformance.Testing;

/// <summary>One-statement SQL for tests and benchmarks that set up or inspect a database directly.</summary>
public static class DataSourceSql
{
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row; SQL NULL (or no row) is <c>default</c>.</summary>
    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }
}
