using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelPerformance.Grains.Interfaces;

using ErrorCode = ModelPerformance.Grains.Interfaces.ErrorCode;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>An error the contract describes: a code from SEMANTICS.md and, for bad input, the input's path.</summary>
public sealed class ContractError : ExecutionError
{
    public ContractError(ErrorCode code, string message, IReadOnlyList<string>? inputPath = null) : base(message)
    {
        ContractCode = code;
        InputPath = inputPath ?? [];
    }

    public ErrorCode ContractCode { get; }

    public IReadOnlyList<string> InputPath { get; }

    public static ContractError From(ServiceException exception) => new(exception.Code, exception.Message, exception.Path);
}

/// <summary>
/// Gives every error <c>extensions.code</c> from the contract's list. Parse, validation and variable
/// coercion failures are the caller's: BAD_USER_INPUT, with GraphQL.NET's own code (e.g.
/// <c>SYNTAX_ERROR</c>, <c>FIELDS_ON_CORRECT_TYPE</c>) kept as <c>extensions.reason</c>. Resolver failures
/// that are not <see cref="ServiceException"/>s are INTERNAL, with no detail. The input path of a
/// BAD_USER_INPUT goes to <c>extensions.inputPath</c>, since the spec's top-level <c>path</c> is the
/// response path.
/// </summary>
public sealed class ContractErrorInfoProvider : IErrorInfoProvider
{
    public const string InternalMessage = "Internal server error.";

    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        var extensions = new Dictionary<string, object?>();
        string message;
        switch (executionError)
        {
            case ContractError contract:
                message = contract.Message;
                extensions["code"] = CodeName(contract.ContractCode);
                if (contract.InputPath.Count > 0)
                {
                    extensions["inputPath"] = contract.InputPath.Select(s => int.TryParse(s, out var index) ? (object)index : s).ToArray();
                }
                break;
            case Security.AccessError access:
                message = access.Message;
                extensions["code"] = CodeName(access.ContractCode);
                break;
            case DocumentError document:
                message = document.Message;
                extensions["code"] = CodeName(ErrorCode.BadUserInput);
                if (document.Code is { } reason)
                {
                    extensions["reason"] = reason;
                }
                break;
            default:
                message = InternalMessage;
                extensions["code"] = CodeName(ErrorCode.Internal);
                break;
        }
        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    public static string CodeName(ErrorCode code) => code switch
    {
        ErrorCode.BadUserInput => "BAD_USER_INPUT",
        ErrorCode.NotFound => "NOT_FOUND",
        ErrorCode.Conflict => "CONFLICT",
        ErrorCode.Unauthenticated => "UNAUTHENTICATED",
        ErrorCode.Forbidden => "FORBIDDEN",
        ErrorCode.RateLimited => "RATE_LIMITED",
        ErrorCode.Unavailable => "UNAVAILABLE",
        _ => "INTERNAL",
    };

    /// <summary>
    /// Resolver exceptions: a <see cref="ServiceException"/> (from validation or from a grain) keeps its
    /// code and message; anything else is logged here with its stack trace and reaches the client as
    /// INTERNAL with a generic message.
    /// </summary>
    public static Task HandleUnhandled(UnhandledExceptionContext context, ExecutionOptions options)
    {
        if (context.OriginalException is ServiceException service)
        {
            context.Exception = ContractError.From(service);
            return Task.CompletedTask;
        }
        if (context.OriginalException is GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
        {
            // The parser's own limit on nesting: the caller's document, not a defect (its message would quote the whole document).
            context.Exception = new ContractError(ErrorCode.BadUserInput, "The document is nested too deeply to parse.");
            return Task.CompletedTask;
        }
        var logger = options.RequestServices?.GetService<ILogger<ContractErrorInfoProvider>>();
        if (Unavailability.Is(context.OriginalException))
        {
            logger?.LogWarning(context.OriginalException, "GraphQL field {Field} failed: a dependency is unavailable", context.FieldContext?.FieldDefinition.Name ?? "(operation)");
            context.Exception = new ContractError(ErrorCode.Unavailable, Unavailability.Message);
            return Task.CompletedTask;
        }
        logger?.LogError(context.OriginalException, "GraphQL field {Field} failed", context.FieldContext?.FieldDefinition.Name ?? "(operation)");
        context.ErrorMessage = InternalMessage;
        return Task.CompletedTask;
    }
}
