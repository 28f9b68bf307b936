namespace ModelPerformance.Tests.Foundation.TestGrains;

/// <summary>The counter behaviour, shared by the two grains that differ only in their storage provider.</summary>
public abstract class CounterGrainBase(IPersistentState<CounterState> state, ILocalSiloDetails silo) : Grain, ICounter
{
    public async Task<CounterSnapshot> Add(int amount)
    {
        state.State = state.State with { Value = state.State.Value + amount };
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task<CounterSnapshot> Get() => Task.FromResult(Snapshot());

    public Task Clear() => state.ClearStateAsync();

    private CounterSnapshot Snapshot() => new()
    {
        Value = state.State.Value,
        RecordExists = state.RecordExists,
        Silo = silo.SiloAddress,
    };
}
