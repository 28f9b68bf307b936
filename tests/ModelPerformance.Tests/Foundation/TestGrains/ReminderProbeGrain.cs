namespace ModelPerformance.Tests.Foundation.TestGrains;

public sealed class ReminderProbeGrain([PersistentState("probe")] IPersistentState<ReminderProbeState> state)
    : Grain, IReminderProbeGrain, IRemindable
{
    private const string ReminderName = "probe";

    public Task Start(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public Task<int> Ticks() => Task.FromResult(state.State.Ticks);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State = state.State with { Ticks = state.State.Ticks + 1 };
        await state.WriteStateAsync();
    }
}
