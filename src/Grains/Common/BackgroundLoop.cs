namespace ModelPerformance.Grains.Common;

/// <summary>
/// Starts a loop that serves a singleton for the life of the silo. Owners are made on first use, often inside a
/// request or grain call: without this the loop would keep that caller's execution context, and so its trace
/// (<c>Activity.Current</c>) and request context, for every later piece of work it does.
/// </summary>
internal static class BackgroundLoop
{
    public static Task Start(Func<Task> loop)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(loop);
        }
    }
}
