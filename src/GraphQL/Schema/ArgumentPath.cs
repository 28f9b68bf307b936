using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>
/// Grains name the offending field of what they were given (<c>["samples", 3]</c>); a GraphQL error names it
/// under the field's argument (<c>["input", "samples", 3]</c>). Other faces of the same grains add their own.
/// </summary>
public static class ArgumentPath
{
    public static async Task<T> Under<T>(string argument, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ServiceException e) when (e.Path.Length > 0)
        {
            throw new ServiceException(e.Code, e.Message, [argument, .. e.Path]);
        }
    }
}
