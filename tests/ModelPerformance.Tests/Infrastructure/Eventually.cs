namespace ModelPerformance.Tests.Infrastructure;

/// <summary>Polls for a condition that a cluster reaches asynchronously (membership changes, reminder ticks).</summary>
public static class Eventually
{
    /// <summary>
    /// Calls <paramref name="probe"/> until its result satisfies <paramref name="accept"/> and returns that result;
    /// exceptions count as "not yet" (calls to a silo that just died fail for a while). Fails after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string expectation)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no attempt finished";
        while (true)
        {
            try
            {
                var value = await probe();
                if (accept(value))
                {
                    return value;
                }
                last = $"last value: {value}";
            }
            catch (Exception e)
            {
                last = $"last error: {e.GetType().Name}: {e.Message}";
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {expectation} within {timeout.TotalSeconds} s; {last}.");
            }
            await Task.Delay(250);
        }
    }
}
