using ModelPerformance.Silo.Hosting;

namespace ModelPerformance.Tests.Foundation;

/// <summary>A configuration mistake stops the start with a message naming the key, before anything runs.</summary>
public sealed class ConfigurationCheckTests
{
    [Theory]
    [InlineData("Notifications:Atempts", "3", "Atempts")]
    [InlineData("Notifications:AttemptTimeout", "soon", "Notifications:AttemptTimeout")]
    [InlineData("Notifications:Attempts", "0", "Notifications:Attempts must be at least 1")]
    [InlineData("Notifications:PublicUrl", "perf.example", "Notifications:PublicUrl")]
    [InlineData("Training:TimeoutMinute", "5", "TimeoutMinute")]
    [InlineData("History:DriftCheckRetentionDays", "-1", "History:DriftCheckRetentionDays must be 0")]
    [InlineData("History:MetricRetentionDays", "90", "MetricRetentionDays")]
    [InlineData("Monitors:CheckIntervalUnit", "often", "Monitors:CheckIntervalUnit")]
    [InlineData("Orleans:SiloPort", "70000", "Orleans:SiloPort must be a port number")]
    [InlineData("Orleans:Clusterid2", "x", "Orleans:Clusterid2 is not a setting")]
    [InlineData("Auth:RateLimit:PermitsPerSecnd", "5", "PermitsPerSecnd")]
    [InlineData("ConnectionStrings:Postgres", "Host=127.0.0.1;Passwrd=secret-value", "ConnectionStrings:Postgres is not a valid Npgsql connection string")]
    public void A_bad_setting_stops_the_start_naming_its_key(string key, string value, string expected)
    {
        var refused = Assert.Throws<ServiceConfigurationException>(() => ServiceHost.Build([], new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, refused.Message);
        Assert.DoesNotContain("secret-value", refused.Message);
    }

    [Fact]
    public async Task The_settings_the_readme_documents_are_accepted()
    {
        await using var app = ServiceHost.Build([], new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Orleans:SiloPort"] = "11411",
            ["Orleans:Membership:ProbeTimeout"] = "00:00:02",
            ["Monitors:CheckIntervalUnit"] = "00:00:30",
            ["Training:TimeoutMinutes"] = "30",
            ["Notifications:PublicUrl"] = "https://perf.example.com",
            ["Notifications:Attempts"] = "4",
            ["Auth:RateLimit:PermitsPerSecond"] = "50",
            ["GraphQL:WebSocket:SendQueueCapacity"] = "500",
            ["History:MetricsRetentionDays"] = "730",
            ["History:DriftCheckRetentionDays"] = "0",
            ["History:MaintenanceInterval"] = "00:10:00",
        });

        Assert.NotNull(app);
    }
}
