using System.Net;
using System.Text;

namespace ModelPerformance.Tests.GraphQL;

[Collection(GraphQLServiceCollection.Name)]
public sealed class GraphQLHttpTransportTests(GraphQLServiceFixture fixture)
{
    [Theory]
    [InlineData(GraphQLServiceFixture.GraphQLResponse, GraphQLServiceFixture.GraphQLResponse)]
    [InlineData("application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    public async Task A_post_is_answered_in_the_media_type_the_client_accepts(string accept, string expected)
    {
        var reply = await fixture.PostAsync("{ __typename }", accept: accept);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(expected, reply.MediaType);
        Assert.Equal("Query", reply.Data!["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_get_runs_a_query_from_the_query_string()
    {
        var reply = await fixture.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("query Q($id: ID!) { monitor(modelId: $id, machineId: \"m1\") { modelId } }")
            + "&variables=" + Uri.EscapeDataString("{\"id\":\"no-such-model\"}")));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Null(reply.Data!["monitor"]);
        Assert.Empty(reply.Errors);
    }

    [Fact]
    public async Task A_mutation_over_get_is_refused_with_405()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("mutation { __typename }"));
        request.Headers.Accept.ParseAdd(GraphQLServiceFixture.GraphQLResponse);
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Invalid_json_is_a_400_with_a_coded_error()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{ \"not a JSON", Encoding.UTF8, "application/json") };
        var reply = await fixture.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("BAD_USER_INPUT", reply.Code);
    }

    [Fact]
    public async Task A_post_without_json_content_type_is_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\":\"{ __typename }\"}", Encoding.UTF8, "text/plain") };
        var reply = await fixture.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
    }

    [Fact]
    public async Task An_unacceptable_accept_header_is_406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\":\"{ __typename }\"}", Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/csv");
        var reply = await fixture.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, reply.Status);
    }

    [Fact]
    public async Task A_body_over_8_MB_is_413()
    {
        var padding = new string(' ', 9 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\":\"{ __typename }\"" + padding + "}", Encoding.UTF8, "application/json") };
        var reply = await fixture.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
    }

    [Fact]
    public async Task A_validation_failure_is_400_without_data_for_graphql_response_json()
    {
        var reply = await fixture.PostAsync("{ noSuchField }");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.False(reply.Body.AsObject().ContainsKey("data"));
        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", reply.Error["extensions"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_parse_failure_is_200_for_application_json()
    {
        var reply = await fixture.PostAsync("{", accept: "application/json");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("BAD_USER_INPUT", reply.Code);
    }

    [Fact]
    public async Task A_subscription_over_http_gets_a_clear_error()
    {
        var reply = await fixture.PostAsync("subscription { alertRaised { id } }");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("WebSocket", reply.Error["message"]!.GetValue<string>());
        Assert.Equal("BAD_USER_INPUT", reply.Code);
    }

    [Fact]
    public async Task A_bad_id_is_bad_user_input_naming_the_argument()
    {
        var reply = await fixture.PostAsync("mutation { stopAbTest(id: \"t1\") { id } }");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("id", reply.InputPath);
    }

    [Fact]
    public async Task A_query_deeper_than_the_limit_is_refused()
    {
        var nested = "name";
        for (var i = 0; i < 25; i++)
        {
            nested = $"ofType {{ {nested} }}";
        }
        var reply = await fixture.PostAsync($"{{ __schema {{ types {{ fields {{ type {{ {nested} }} }} }} }} }}");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("BAD_USER_INPUT", reply.Code);
    }

    // The transport caches parsed and validated documents by query text: what depends on the request must still be checked.
    [Fact]
    public async Task A_cached_document_still_checks_each_requests_variables()
    {
        const string query = "query CachedVariables($id: ID!) { monitor(modelId: $id, machineId: \"m1\") { modelId } }";
        var first = await fixture.PostAsync(query, new { id = "no-such-model" });
        var second = await fixture.PostAsync(query);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("BAD_USER_INPUT", second.Code);
    }

    [Fact]
    public async Task A_mutation_cached_from_a_post_is_still_refused_over_get()
    {
        const string query = "mutation CachedOverGet { __typename }";
        var post = await fixture.PostAsync(query);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(query));
        var get = await fixture.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, post.Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.Status);
    }

    [Fact]
    public async Task A_cached_document_with_a_paging_variable_is_held_to_the_complexity_limit_on_every_request()
    {
        const string query = "query CachedPaging($n: Int) { alerts(first: $n) { id } }";
        var small = await fixture.PostAsync(query, new { n = 10 });
        var huge = await fixture.PostAsync(query, new { n = 10_000_000 });

        Assert.Equal(HttpStatusCode.OK, small.Status);
        Assert.Empty(small.Errors);
        Assert.Equal(HttpStatusCode.BadRequest, huge.Status);
        Assert.Equal("BAD_USER_INPUT", huge.Code);
    }

    [Fact]
    public async Task An_operation_of_more_than_1000_root_fields_is_refused_before_any_runs()
    {
        static string Aliases(int n, string field) => string.Concat(Enumerable.Range(0, n).Select(i => $" a{i}: {field}"));
        var thousand = await fixture.PostAsync("{" + Aliases(1000, "monitor(modelId: \"flood\", machineId: \"c\") { modelId }") + " }");
        var flood = await fixture.PostAsync("{" + Aliases(1001, "monitor(modelId: \"flood\", machineId: \"c\") { modelId }") + " }");
        var fragments = await fixture.PostAsync("query { ...F ...G } fragment F on Query {" + Aliases(600, "me { name }") + " } fragment G on Query {" +
                                                string.Concat(Enumerable.Range(0, 401).Select(i => $" b{i}: me {{ name }}")) + " }");
        var writes = await fixture.PostAsync("mutation {" + Aliases(1001, "recordEvaluation(input: { modelId: \"flood-write\", machineId: \"c\", metrics: { rmse: 1 } }) { id }") + " }");
        var stored = await fixture.PostAsync("{ monitor(modelId: \"flood-write\", machineId: \"c\") { evaluationCount } }");

        Assert.Empty(thousand.Errors);
        Assert.Equal(1000, thousand.Data!.AsObject().Count);
        foreach (var refused in new[] { flood, fragments, writes })
        {
            Assert.Equal((HttpStatusCode.BadRequest, "BAD_USER_INPUT"), (refused.Status, refused.Code));
            Assert.Contains("at most 1000 root fields", refused.Error["message"]!.GetValue<string>());
        }
        Assert.Null(stored.Data!["monitor"]);
    }
}
