namespace ModelPerformance.Silo.Hosting;

/// <summary>The configuration a silo reads; every value has a default that runs one silo on this machine.</summary>
public sealed record ServiceSettings
{
    public const string ConnectionStringName = "Postgres";

    public string? PostgresConnectionString { get; init; }
    public string ClusterId { get; init; } = "modelperf";
    public string ServiceId { get; init; } = "modelperf";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Host name or address other silos reach this one at; null means loopback (several silos on one machine).</summary>
    public string? AdvertisedHost { get; init; }

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>Seconds to wait for a connection when the connection string does not say (Npgsql's own default is 15).</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>
    /// A database that does not answer must make calls fail within 10 seconds (UNAVAILABLE), not hang: unless the
    /// connection string sets its own Timeout, a connection attempt gives up after <see cref="DefaultConnectTimeoutSeconds"/>.
    /// </summary>
    private static string? WithConnectTimeout(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Timeout") || given.ContainsKey("Connect Timeout")
            ? connectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Timeout = DefaultConnectTimeoutSeconds }.ConnectionString;
    }

    public static ServiceSettings From(IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        var defaults = new ServiceSettings();
        return new ServiceSettings
        {
            PostgresConnectionString = WithConnectTimeout(configuration.GetConnectionString(ConnectionStringName)),
            ClusterId = orleans["ClusterId"] ?? defaults.ClusterId,
            ServiceId = orleans["ServiceId"] ?? defaults.ServiceId,
            SiloPort = orleans.GetValue("SiloPort", defaults.SiloPort),
            GatewayPort = orleans.GetValue("GatewayPort", defaults.GatewayPort),
            AdvertisedHost = orleans["AdvertisedHost"],
        };
    }
}
