using System.Text;
using ModelPerformance.Grains.Notifications;

namespace ModelPerformance.Tests.Notifications;

/// <summary>The retry rule and the signature (SEMANTICS.md, Notifications), as pure functions.</summary>
public sealed class DeliveryPolicyTests
{
    private static readonly DateTime Now = new(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);
    private static readonly NotificationOptions Defaults = new();

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(299)]
    public void A_2xx_is_delivered(int status) =>
        Assert.Equal(DeliveryStatus.Delivered, DeliveryPolicy.Judge(Guid.NewGuid(), 1, status, null, Now, Defaults).Status);

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(302)]
    public void Another_status_fails_at_once(int status)
    {
        var judged = DeliveryPolicy.Judge(Guid.NewGuid(), 1, status, "refused", Now, Defaults);
        Assert.Equal((DeliveryStatus.Failed, status, "refused"), (judged.Status, judged.ResponseStatus, judged.Error));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void A_network_error_408_429_or_5xx_is_retried_after_1_2_4_8_16_seconds_then_failed_at_the_sixth_attempt(int? status)
    {
        var waits = Enumerable.Range(1, 5).Select(attempt =>
        {
            var judged = DeliveryPolicy.Judge(Guid.NewGuid(), attempt, status, "unavailable", Now, Defaults);
            Assert.Equal(DeliveryStatus.Pending, judged.Status);
            return (judged.NextAttemptAt - Now).TotalSeconds;
        });
        var last = DeliveryPolicy.Judge(Guid.NewGuid(), 6, status, "unavailable", Now, Defaults);

        Assert.Equal([1.0, 2, 4, 8, 16], waits);
        Assert.Equal(DeliveryStatus.Failed, last.Status);
        Assert.Equal("unavailable (after 6 attempts)", last.Error);
    }

    [Fact]
    public void The_signature_is_the_lower_case_hex_HMAC_SHA256_of_the_body_bytes()
    {
        // The RFC-style example everyone checks HMAC-SHA256 against.
        var signature = NotificationPayload.Signature("key", Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog"));

        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", signature);
    }

    [Fact]
    public void A_monitor_page_link_escapes_its_ids_and_is_absent_without_an_address()
    {
        Assert.Equal("https://perf.example.com/ui/model-performance#/monitor/m%201/press%2F2",
            NotificationPayload.MonitorPage("https://perf.example.com/", "m 1", "press/2"));
        Assert.Null(NotificationPayload.MonitorPage(null, "m", "p"));
    }
}
