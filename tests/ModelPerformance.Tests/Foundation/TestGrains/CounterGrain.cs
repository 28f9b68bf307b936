namespace ModelPerformance.Tests.Foundation.TestGrains;

public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state, ILocalSiloDetails silo)
    : CounterGrainBase(state, silo), ICounterGrain;
