using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Notifications;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Notifications;

/// <summary>The notifications extension's root fields (contract/extensions/notifications.graphql), over <see cref="NotificationService"/>.</summary>
public static class NotificationFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationChannelGraphType>>>>("notificationChannels")
            .ResolveAsync(async c => await Service(c).ChannelsAsync(c.CancellationToken));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SilenceGraphType>>>>("silences")
            .Argument<BooleanGraphType>("active")
            .ResolveAsync(async c => await Service(c).SilencesAsync(c.GetArgument<bool?>("active"), c.CancellationToken));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationDeliveryGraphType>>>>("notificationDeliveries")
            .Argument<IdGraphType>("alertId")
            .Argument<IdGraphType>("channelId")
            .Argument<DeliveryStatusGraphType>("status")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .ResolveAsync(async c => await Service(c).DeliveriesAsync(c.GetArgument<string?>("alertId"), c.GetArgument<string?>("channelId"),
                c.GetArgument<DeliveryStatus?>("status"), c.GetArgument<int?>("first"), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<NotificationChannelGraphType>>("createNotificationChannel")
            .Argument<NonNullGraphType<NotificationChannelInputGraphType>>("input")
            .ResolveAsync(async c => await Service(c).CreateChannelAsync(c.GetArgument<Dictionary<string, object?>>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<NotificationChannelGraphType>>("updateNotificationChannel")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<NotificationChannelInputGraphType>>("input")
            .ResolveAsync(async c => await Service(c).UpdateChannelAsync(c.GetArgument<string>("id"), c.GetArgument<Dictionary<string, object?>>("input"),
                c.CancellationToken));
        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteNotificationChannel")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Service(c).DeleteChannelAsync(c.GetArgument<string>("id"), c.CancellationToken));
        mutation.Field<NonNullGraphType<NotificationDeliveryGraphType>>("testNotificationChannel")
            .Description("Sends a TEST event to the channel now and returns its delivery.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Service(c).TestChannelAsync(c.GetArgument<string>("id"), c.CancellationToken));
        mutation.Field<NonNullGraphType<SilenceGraphType>>("createSilence")
            .Argument<NonNullGraphType<SilenceInputGraphType>>("input")
            .ResolveAsync(async c => await Service(c).CreateSilenceAsync(c.GetArgument<Dictionary<string, object?>>("input"), CallerContext.Of(c), c.CancellationToken));
        mutation.Field<NonNullGraphType<SilenceGraphType>>("expireSilence")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Service(c).ExpireSilenceAsync(c.GetArgument<string>("id"), c.CancellationToken));
    }

    private static NotificationService Service(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<NotificationService>();
}
