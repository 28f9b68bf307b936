using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Grains.Notifications;
using ModelPerformance.Grains.Training;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Security;
using ModelPerformance.GraphQL.Transport;
using Orleans.Configuration;

namespace ModelPerformance.Silo.Hosting;

/// <summary>A configuration the service cannot run with; its message names every key at fault.</summary>
public sealed class ServiceConfigurationException(string message) : Exception(message);

/// <summary>
/// Checks the configuration before anything starts, so a mistake says which key is wrong instead of failing later, or silently
/// meaning a default: every section the service reads must bind to its settings type with no unknown key and no value of the wrong
/// type, the connection string must parse, and ports and counts must be in range.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>The sections the service reads, and the settings type each one binds to.</summary>
    private static readonly (string Section, Type Settings)[] Sections =
    [
        ("Monitors", typeof(MonitorOptions)),
        (TrainingOptions.Section, typeof(TrainingOptions)),
        (NotificationOptions.Section, typeof(NotificationOptions)),
        (HistoryOptions.Section, typeof(HistoryOptions)),
        (AuthOptions.Section, typeof(AuthOptions)),
        (GraphQLWebSocketOptions.Section, typeof(GraphQLWebSocketOptions)),
        (SubscriptionOptions.Section, typeof(SubscriptionOptions)),
        ("Orleans:Membership", typeof(ClusterMembershipOptions)),
    ];

    /// <summary>The keys of <c>Orleans</c> that <see cref="ServiceSettings"/> reads, besides its Membership section.</summary>
    private static readonly HashSet<string> OrleansKeys = ["ClusterId", "ServiceId", "SiloPort", "GatewayPort", "AdvertisedHost", "Membership"];

    public static void ThrowIfInvalid(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (section, settings) in Sections)
        {
            try
            {
                configuration.GetSection(section).Get(settings, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{section}: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}");
            }
        }
        var orleans = configuration.GetSection("Orleans");
        problems.AddRange(orleans.GetChildren().Where(c => !OrleansKeys.Contains(c.Key))
            .Select(c => $"Orleans:{c.Key} is not a setting of the service (it reads {string.Join(", ", OrleansKeys.Order())})"));
        foreach (var port in new[] { "SiloPort", "GatewayPort" })
        {
            if (orleans[port] is { } text && (!int.TryParse(text, out var value) || value is < 1 or > 65535))
            {
                problems.Add($"Orleans:{port} must be a port number from 1 to 65535, not '{text}'");
            }
        }
        if (configuration.GetConnectionString(ServiceSettings.ConnectionStringName) is { Length: > 0 } connectionString)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException e)
            {
                // The message names the keyword at fault; the string itself may hold a password, so it is not repeated.
                problems.Add($"ConnectionStrings:{ServiceSettings.ConnectionStringName} is not a valid Npgsql connection string: {e.Message}");
            }
        }
        if (problems.Count == 0 && configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() is { } notifications)
        {
            problems.AddRange(notifications.Problems().Select(p => $"{NotificationOptions.Section}:{p}"));
        }
        if (problems.Count == 0 && configuration.GetSection(HistoryOptions.Section).Get<HistoryOptions>() is { } history)
        {
            problems.AddRange(history.Problems().Select(p => $"{HistoryOptions.Section}:{p}"));
        }
        if (problems.Count > 0)
        {
            throw new ServiceConfigurationException("The configuration cannot be used:\n- " + string.Join("\n- ", problems));
        }
    }
}
