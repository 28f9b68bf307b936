namespace ModelPerformance.Tests.Foundation.TestGrains;

/// <summary>A persisted counter: the smallest grain whose state goes through the ADO.NET storage provider.</summary>
[Alias("ModelPerformance.Tests.ICounter")]
public interface ICounter : IGrain
{
    [Alias("Add")]
    Task<CounterSnapshot> Add(int amount);

    [Alias("Get")]
    Task<CounterSnapshot> Get();

    [Alias("Clear")]
    Task Clear();
}

/// <summary>Counter on the default storage, which keeps the row on clear (ClearStorageKey).</summary>
[Alias("ModelPerformance.Tests.ICounterGrain")]
public interface ICounterGrain : ICounter, IGrainWithStringKey;

/// <summary>Counter on the storage with DeleteStateOnClear, which deletes the row on clear (DeleteStorageKey).</summary>
[Alias("ModelPerformance.Tests.IDeleteOnClearCounterGrain")]
public interface IDeleteOnClearCounterGrain : ICounter, IGrainWithIntegerKey;
