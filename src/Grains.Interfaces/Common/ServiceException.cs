namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// A failure the caller caused or can act on. It crosses grain calls intact, so the GraphQL layer can
/// report its code and the path of the offending input (e.g. <c>["inputs", 3, "metrics", "rmse"]</c>).
/// </summary>
[GenerateSerializer, Alias("ServiceException")]
public sealed class ServiceException : Exception
{
    public ServiceException(ErrorCode code, string message, IReadOnlyList<object>? path = null) : base(message)
    {
        Code = code;
        Path = path is null ? [] : path.Select(p => p.ToString() ?? "").ToArray();
    }

    [Id(0)] public ErrorCode Code { get; private set; }

    /// <summary>Path of the offending input field; numeric segments are list indexes.</summary>
    [Id(1)] public string[] Path { get; private set; }

    public static ServiceException BadInput(string message, params object[] path) => new(ErrorCode.BadUserInput, message, path);

    public static ServiceException NotFound(string message, params object[] path) => new(ErrorCode.NotFound, message, path);

    public static ServiceException Conflict(string message, params object[] path) => new(ErrorCode.Conflict, message, path);
}
