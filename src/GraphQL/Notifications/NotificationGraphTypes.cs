using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Notifications;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Notifications;

public sealed class ChannelKindGraphType : ContractEnumGraphType<ChannelKind>;

public sealed class NotificationEventGraphType : ContractEnumGraphType<NotificationEvent>;

public sealed class DeliveryStatusGraphType : ContractEnumGraphType<DeliveryStatus>;

public sealed class NotificationChannelGraphType : ObjectGraphType<NotificationChannel>
{
    public NotificationChannelGraphType()
    {
        Name = "NotificationChannel";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<ChannelKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("url")
            .Description("The address in full for ADMIN; for others only its scheme and host, since a Slack or Teams address is a credential.")
            .Resolve(c => NotificationService.VisibleUrl(c.Source.Url, CallerContext.Of(c)));
        Field<NonNullGraphType<SeverityGraphType>>("minSeverity").Description("Alerts below this severity are not sent.").Resolve(c => c.Source.MinSeverity);
        Field<ListGraphType<NonNullGraphType<AlertTypeGraphType>>>("types").Description("Null means every type, machine, model type.").Resolve(c => c.Source.Types);
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("machineIds").Resolve(c => c.Source.MachineIds);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("modelTypes").Resolve(c => c.Source.ModelTypes);
        Field<NonNullGraphType<IntGraphType>>("repeatIntervalMinutes")
            .Description("Minutes between reminders for an alert that stays OPEN; 0 sends none.").Resolve(c => c.Source.RepeatIntervalMinutes);
        Field<NonNullGraphType<BooleanGraphType>>("signed")
            .Description("True when a signing secret is set (the secret itself is never returned).").Resolve(c => c.Source.Secret is not null);
        Field<NonNullGraphType<BooleanGraphType>>("enabled").Resolve(c => c.Source.Enabled);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}

public sealed class NotificationChannelInputGraphType : InputObjectGraphType
{
    public NotificationChannelInputGraphType()
    {
        Name = "NotificationChannelInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<ChannelKindGraphType>>("kind");
        Field<NonNullGraphType<StringGraphType>>("url");
        Field<SeverityGraphType>("minSeverity").DefaultValue(Grains.Interfaces.Severity.Warning);
        Field<ListGraphType<NonNullGraphType<AlertTypeGraphType>>>("types");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("machineIds");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("modelTypes");
        Field<IntGraphType>("repeatIntervalMinutes").DefaultValue(240);
        Field<StringGraphType>("secret").Description("HMAC-SHA256 key for the X-ModelPerf-Signature header (WEBHOOK).");
        Field<BooleanGraphType>("enabled").DefaultValue(true);
    }
}

public sealed class SilenceGraphType : ObjectGraphType<Silence>
{
    public SilenceGraphType()
    {
        Name = "Silence";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<IdGraphType>("modelId").Description("Every matcher that is set must equal the alert's field.").Resolve(c => c.Source.ModelId);
        Field<IdGraphType>("machineId").Resolve(c => c.Source.MachineId);
        Field<StringGraphType>("modelType").Resolve(c => c.Source.ModelType);
        Field<AlertTypeGraphType>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("startsAt").Resolve(c => c.Source.StartsAt);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("endsAt").Resolve(c => c.Source.EndsAt);
        Field<NonNullGraphType<StringGraphType>>("createdBy").Resolve(c => c.Source.CreatedBy);
        Field<StringGraphType>("comment").Resolve(c => c.Source.Comment);
        Field<NonNullGraphType<BooleanGraphType>>("active").Resolve(c => c.RequestServices!.GetRequiredService<NotificationService>().IsActive(c.Source));
    }
}

public sealed class SilenceInputGraphType : InputObjectGraphType
{
    public SilenceInputGraphType()
    {
        Name = "SilenceInput";
        Field<IdGraphType>("modelId");
        Field<IdGraphType>("machineId");
        Field<StringGraphType>("modelType");
        Field<AlertTypeGraphType>("type");
        Field<NonNullGraphType<IntGraphType>>("durationMinutes");
        Field<StringGraphType>("comment");
    }
}

public sealed class NotificationDeliveryGraphType : ObjectGraphType<NotificationDelivery>
{
    public NotificationDeliveryGraphType()
    {
        Name = "NotificationDelivery";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(c => c.Source.ChannelId);
        Field<IdGraphType>("alertId").Resolve(c => c.Source.AlertId);
        Field<NonNullGraphType<NotificationEventGraphType>>("event").Resolve(c => c.Source.Event);
        Field<NonNullGraphType<DeliveryStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<IntGraphType>>("attempts").Resolve(c => c.Source.Attempts);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<UtcDateTimeGraphType>("lastAttemptAt").Resolve(c => c.Source.LastAttemptAt);
        Field<IntGraphType>("responseStatus").Description("HTTP status of the last attempt.").Resolve(c => c.Source.ResponseStatus);
        Field<StringGraphType>("error").Resolve(c => c.Source.Error);
    }
}
