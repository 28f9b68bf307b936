using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// The request's user context: what resolvers may know of the HTTP request beyond the operation, here the
/// optional <c>X-Caller</c> header naming who calls (there is no authentication yet). Over WebSocket it is
/// the header of the upgrade request.
/// </summary>
public sealed class CallerContext(StringValues callerHeader) : Dictionary<string, object?>
{
    public const string HeaderName = "X-Caller";

    public StringValues CallerHeader { get; } = callerHeader;

    public static CallerContext From(HttpContext http) => new(http.Request.Headers[HeaderName]);
}
