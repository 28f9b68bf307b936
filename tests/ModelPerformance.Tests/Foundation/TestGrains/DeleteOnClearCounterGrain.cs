using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Foundation.TestGrains;

public sealed class DeleteOnClearCounterGrain(
    [PersistentState("counter", PostgresTestCluster.DeleteOnClearStorage)] IPersistentState<CounterState> state,
    ILocalSiloDetails silo)
    : CounterGrainBase(state, silo), IDeleteOnClearCounterGrain;
