using System.Net.WebSockets;
using ModelPerformance.Grains.Events;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>The graphql-transport-ws protocol as the reference server (npm graphql-ws) speaks it, through a raw socket.</summary>
[Collection(SubscriptionServiceCollection.Name)]
public sealed class GraphQLWebSocketProtocolTests(SubscriptionServiceFixture fixture)
{
    private const string EvaluationRecorded = """
        subscription Evaluations($modelId: ID!, $machineId: ID!) {
          evaluationRecorded(modelId: $modelId, machineId: $machineId) { id modelId machineId metrics { rmse } }
        }
        """;

    private Uri Base => fixture.Service.BaseAddress;

    [Fact]
    public async Task The_server_speaks_graphql_transport_ws_and_acknowledges_connection_init()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);

        Assert.Equal(WebSocketClient.SubProtocol, client.NegotiatedSubProtocol);
    }

    [Fact]
    public async Task A_socket_without_the_subprotocol_is_closed_with_4406()
    {
        await using var client = await WebSocketClient.ConnectAsync(Base, subProtocol: null);

        Assert.Equal(4406, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Subscribe_before_connection_init_closes_the_socket_with_4401()
    {
        await using var client = await WebSocketClient.ConnectAsync(Base);

        await client.SubscribeAsync("1", "{ __typename }");

        Assert.Equal(4401, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_second_connection_init_closes_the_socket_with_4429()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);

        await client.SendAsync(new { type = "connection_init" });

        Assert.Equal(4429, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task No_connection_init_within_the_timeout_closes_the_socket_with_4408()
    {
        await using var client = await WebSocketClient.ConnectAsync(Base);

        Assert.Equal(4408, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_subscribe_with_the_id_of_a_running_operation_closes_the_socket_with_4409()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);
        var variables = new { modelId = Events.NewId("dup"), machineId = "machine-1" };

        await client.SubscribeAsync("same", EvaluationRecorded, variables);
        await client.SubscribeAsync("same", EvaluationRecorded, variables);

        Assert.Equal(4409, await client.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"type": "no_such_type"}""")]
    [InlineData("""{"type": "subscribe", "payload": {"query": "{ __typename }"}}""")]
    [InlineData("""{"id": "1", "type": "subscribe", "payload": {"variables": {}}}""")]
    [InlineData("""{"type": "connection_ack"}""")]
    public async Task A_message_that_is_not_a_valid_client_message_closes_the_socket_with_4400(string message)
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);

        await client.SendTextAsync(message);

        Assert.Equal(4400, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_carrying_its_payload()
    {
        await using var client = await WebSocketClient.ConnectAsync(Base);

        await client.SendAsync(new { type = "ping", payload = new { n = 7 } });
        var pong = await client.ReceiveAsync();

        Assert.Equal("pong", pong!["type"]!.GetValue<string>());
        Assert.Equal(7, pong["payload"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_query_over_the_socket_gets_one_next_then_complete()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);

        await client.SubscribeAsync("q", "{ __typename }");
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal("next", next!["type"]!.GetValue<string>());
        Assert.Equal("q", next["id"]!.GetValue<string>());
        Assert.Equal("Query", next["payload"]!["data"]!["__typename"]!.GetValue<string>());
        Assert.Equal("complete", complete!["type"]!.GetValue<string>());
        Assert.Equal("q", complete["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_document_that_fails_validation_gets_error_and_no_complete()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);

        await client.SubscribeAsync("bad", "{ noSuchField }");
        var error = await client.ReceiveAsync();
        await client.SyncAsync();

        Assert.Equal("error", error!["type"]!.GetValue<string>());
        Assert.Equal("bad", error["id"]!.GetValue<string>());
        Assert.Equal("BAD_USER_INPUT", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_subscription_with_bad_arguments_gets_its_error_as_next_then_complete()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);

        await client.SubscribeAsync("s", EvaluationRecorded, new { modelId = "bad id with spaces", machineId = "machine-1" });
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal("next", next!["type"]!.GetValue<string>());
        Assert.Equal("BAD_USER_INPUT", next["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("complete", complete!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Complete_for_an_unknown_id_is_ignored()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);

        await client.SendAsync(new { id = "never-started", type = "complete" });

        await client.SyncAsync();
    }

    [Fact]
    public async Task A_subscription_delivers_its_events_until_the_client_completes_it()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);
        var modelId = Events.NewId("live");
        var before = fixture.Hub.SubscriberCount;
        await client.SubscribeAsync("s", EvaluationRecorded, new { modelId, machineId = "machine-1" });
        await client.SyncAsync();

        var evaluation = Events.Evaluation(modelId, "machine-1", rmse: 2.5);
        fixture.Hub.Publish(new EvaluationRecorded(evaluation));
        var next = await client.ReceiveAsync();
        await client.SendAsync(new { id = "s", type = "complete" });
        await client.SyncAsync();

        Assert.Equal("s", next!["id"]!.GetValue<string>());
        Assert.Equal(evaluation.Id.ToString(), next["payload"]!["data"]!["evaluationRecorded"]!["id"]!.GetValue<string>());
        Assert.Equal(2.5, next["payload"]!["data"]!["evaluationRecorded"]!["metrics"]!["rmse"]!.GetValue<double>());
        Assert.Equal(before, fixture.Hub.SubscriberCount);
    }

    [Fact]
    public async Task A_live_subscription_still_receives_evaluations_after_its_first_lease_ran_out()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(Base);
        var modelId = Events.NewId("renewed");
        await client.SubscribeAsync("s", EvaluationRecorded, new { modelId, machineId = "machine-1" });
        await client.SyncAsync();

        // Without renewals the monitor would stop publishing once the lease taken at subscription ran out.
        await Task.Delay(SubscriptionServiceFixture.EvaluationLease * 2);
        var recorded = await GraphQLWsClientTests.RecordEvaluationAsync(fixture.Http, modelId, "machine-1", rmse: 3.5);
        var next = await client.ReceiveAsync();

        Assert.Equal(recorded["id"]!.GetValue<string>(), next?["payload"]?["data"]?["evaluationRecorded"]?["id"]?.GetValue<string>());
    }

    [Fact]
    public async Task Closing_a_socket_ends_its_subscriptions()
    {
        var before = fixture.Hub.SubscriberCount;
        var client = await WebSocketClient.ConnectAndInitAsync(Base);
        await client.SubscribeAsync("s", EvaluationRecorded, new { modelId = Events.NewId("close"), machineId = "machine-1" });
        await client.SyncAsync();
        Assert.Equal(before + 1, fixture.Hub.SubscriberCount);

        await client.DisposeAsync();

        await Infrastructure.Eventually.MatchAsync(() => Task.FromResult(fixture.Hub.SubscriberCount), n => n == before,
            TimeSpan.FromSeconds(30), "the closed socket's subscription to end");
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_disconnected_while_others_keep_receiving()
    {
        var modelId = Events.NewId("slow");
        var variables = new { modelId, machineId = "machine-1" };
        await using var slow = await WebSocketClient.ConnectAndInitAsync(Base);
        await slow.SubscribeAsync("s", EvaluationRecorded, variables);
        await slow.SyncAsync();
        await using var reader = await WebSocketClient.ConnectAndInitAsync(Base);
        await reader.SubscribeAsync("r", EvaluationRecorded, variables);
        await reader.SyncAsync();
        var withBoth = fixture.Hub.SubscriberCount;

        // Publish at the pace of the reading client, in bursts its send queue holds, until the socket of the
        // one that reads nothing is dropped: its queue overflows once the TCP buffers between them are full.
        const int burst = SubscriptionServiceFixture.SendQueueCapacity / 2;
        var published = 0;
        while (fixture.Hub.SubscriberCount == withBoth)
        {
            Assert.True(published < 1_000_000, "the client that reads nothing was never disconnected");
            for (var i = 0; i < burst; i++)
            {
                fixture.Hub.Publish(new EvaluationRecorded(Events.Evaluation(modelId, "machine-1")));
            }
            published += burst;
            for (var i = 0; i < burst; i++)
            {
                Assert.Equal("next", (await reader.ReceiveAsync())!["type"]!.GetValue<string>());
            }
        }
        var last = Events.Evaluation(modelId, "machine-1");
        fixture.Hub.Publish(new EvaluationRecorded(last));
        var delivered = await reader.ReceiveAsync();

        Assert.Equal(withBoth - 1, fixture.Hub.SubscriberCount);
        Assert.Equal(last.Id.ToString(), delivered!["payload"]!["data"]!["evaluationRecorded"]!["id"]!.GetValue<string>());
        await AssertEndsAsync(slow);
    }

    /// <summary>
    /// The slow client's socket ends: with the 1008 close frame when the client reads it within the close
    /// timeout, else cut off.
    /// </summary>
    private static async Task AssertEndsAsync(WebSocketClient client)
    {
        try
        {
            Assert.Equal((int)WebSocketCloseStatus.PolicyViolation, await client.ReceiveCloseAsync());
        }
        catch (WebSocketException)
        {
            // Cut off after the close timeout.
        }
    }
}
