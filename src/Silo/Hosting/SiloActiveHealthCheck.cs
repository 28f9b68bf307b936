using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ModelPerformance.Silo.Hosting;

/// <summary>Healthy once this silo's own membership entry is ACTIVE.</summary>
internal sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails localSilo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"silo is {status}"));
    }
}
