namespace ModelPerformance.Tests.Infrastructure;

/// <summary>Settings of the failover tests' services.</summary>
public static class FailoverSettings
{
    /// <summary>Membership tuned so that a killed silo is declared dead within seconds, and reminder-driven recovery in seconds too.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Fast = new Dictionary<string, string?>
    {
        ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
        ["Orleans:Membership:NumMissedProbesLimit"] = "2",
        ["Orleans:Membership:TableRefreshTimeout"] = "00:00:01",
        ["Orleans:Membership:DeathVoteExpirationTimeout"] = "00:00:10",
        ["Monitors:CheckIntervalUnit"] = "00:00:02",
    };
}
