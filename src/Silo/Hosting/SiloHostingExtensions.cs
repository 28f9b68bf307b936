using Orleans.Dashboard;
using System.Net;
using ModelPerformance.Grains.AbTests;
using ModelPerformance.Grains.Security;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Grains.Notifications;
using ModelPerformance.Grains.Registry;
using ModelPerformance.Grains.Training;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace ModelPerformance.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>The ADO.NET invariant name the Orleans providers know Npgsql by.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// One Orleans silo inside the web host. Without a PostgreSQL connection string the silo runs alone
    /// in memory, so that a first run needs nothing installed; with one it is a cluster member whose
    /// membership, grain state and reminders live in PostgreSQL, and it migrates the schema before
    /// Orleans starts (the migration service is registered first, and hosted services start in order).
    /// </summary>
    public static WebApplicationBuilder AddModelPerformanceSilo(this WebApplicationBuilder builder)
    {
        var settings = ServiceSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);

        if (settings.UsesPostgres)
        {
            // Made by the container, so that it is disposed with the host and a stopped silo leaves no idle connections behind.
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(settings.PostgresConnectionString!));
            builder.Services.AddHostedService<MigrationHostedService>();
        }
        else
        {
            builder.Services.AddHostedService<InMemoryModeNotice>();
        }
        builder.Services.AddMonitorHistory(settings.UsesPostgres);
        // Monitors:CheckIntervalUnit is one "minute" of checkIntervalMinutes and noDataMinutes; tests shorten it,
        // and the reminder minimum with it, to see periodic checks in seconds.
        builder.Services.Configure<MonitorOptions>(builder.Configuration.GetSection("Monitors"));
        builder.Services.Configure<MonitorOptions>(o => o.StateOutlivesSilo = settings.UsesPostgres);
        var checkUnit = builder.Configuration.GetValue<TimeSpan?>("Monitors:CheckIntervalUnit");
        builder.Services.AddAlerts(settings.UsesPostgres);
        builder.Services.AddNotifications(settings.UsesPostgres);
        builder.Services.AddVersionRegistry(settings.UsesPostgres);
        builder.Services.AddTrainingJobs(settings.UsesPostgres);
        builder.Services.AddAbTests(settings.UsesPostgres);
        builder.Services.AddSecurityStores(settings.UsesPostgres);
        builder.Services.AddServiceEvents(settings.UsesPostgres);

        // Grain state in Orleans' binary format: a monitor's window is thousands of doubles, which JSON makes
        // several times larger and slower to write every few seconds (registered before Orleans adds its default).
        builder.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            if (settings.UsesPostgres)
            {
                ConfigurePostgres(silo, settings);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                silo.AddMemoryGrainStorageAsDefault();
                silo.UseInMemoryReminderService();
            }
            if (checkUnit is { } unit && unit < TimeSpan.FromMinutes(1))
            {
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = unit);
            }
            silo.AddDashboard();
            // With tracing on, grain calls carry the caller's trace context, so a request's trace goes on through its
            // grains. Without it the two call filters would cost every grain call CPU for nothing.
            if (TelemetryExtensions.ExportsOtlp(builder.Configuration))
            {
                silo.AddActivityPropagation();
            }
        });
        return builder;
    }

    private static void ConfigurePostgres(ISiloBuilder silo, ServiceSettings settings)
    {
        if (settings.AdvertisedHost is { } host)
        {
            // In containers each silo has its own address: advertise it and listen on every interface.
            var address = Dns.GetHostAddresses(host).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
            silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
        }
        silo.AddPostgresProviders(settings.PostgresConnectionString!);
        // How fast a silo that stopped answering is declared dead (Orleans' defaults take about a minute).
        silo.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection("Orleans:Membership"));
    }

    /// <summary>
    /// Membership, default grain storage and reminders on PostgreSQL through the Orleans ADO.NET providers,
    /// which read their SQL from the <c>OrleansQuery</c> table that <c>sql/0001</c>-<c>0003</c> fill.
    /// Public so that the PostgreSQL tests run their silos on exactly this wiring.
    /// </summary>
    public static ISiloBuilder AddPostgresProviders(this ISiloBuilder silo, string connectionString)
    {
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorageAsDefault(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }
}
