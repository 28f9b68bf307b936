namespace ModelPerformance.Grains.Notifications;

/// <summary>What both stores write into a delivery's <c>error</c> for the outcomes they decide themselves.</summary>
internal static class NotificationStoreText
{
    public const string ChannelDeleted = "the channel was deleted before this was sent";
}
