using ModelPerformance.Silo.Persistence;
using Npgsql;

namespace ModelPerformance.Silo.Hosting;

/// <summary><c>dotnet run --project src/Silo -- migrate</c>: applies pending migrations and exits, for deployments that migrate before rolling silos.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var settings = ServiceSettings.From(configuration);
        if (!settings.UsesPostgres)
        {
            await Console.Error.WriteLineAsync("migrate needs a PostgreSQL connection string: set ConnectionStrings__Postgres.");
            return 2;
        }
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        await using var dataSource = NpgsqlDataSource.Create(settings.PostgresConnectionString!);
        try
        {
            var applied = await new Migrator(dataSource, loggerFactory.CreateLogger<Migrator>()).MigrateAsync();
            Console.WriteLine(applied.Count == 0
                ? $"Schema is up to date at version {Migrator.LatestVersion}."
                : $"Applied {applied.Count} migration(s); schema is at version {Migrator.LatestVersion}.");
            return 0;
        }
        catch (SchemaTooNewException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 3;
        }
    }
}
