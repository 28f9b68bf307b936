using ModelPerformance.Grains.Interfaces;

using ErrorCode = ModelPerformance.Grains.Interfaces.ErrorCode;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>
/// The failure of a contract field whose feature this version does not serve yet: the schema already has
/// it (clients and the contract test see the whole API), and a call says so plainly with a contract code.
/// </summary>
public static class NotAvailable
{
    public static ServiceException Error(string field) => new(ErrorCode.NotImplemented, $"{field} is not available in this version.");
}
