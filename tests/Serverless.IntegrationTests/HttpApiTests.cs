using System.Net;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>The HTTP surface through the real local host: keys, routes, and every kind of bad input.</summary>
[Collection(LocalSystemCollection.Name)]
public sealed class HttpApiTests(LocalSystemFixture system)
{
    [Fact]
    public async Task GetHealth_WithoutKey_ReportsStorageAndDurableBackendHealthy()
    {
        using var client = system.Host.CreateClient(key: null);
        using var response = await client.GetAsync(new Uri("api/v1/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Api.ReadJsonAsync(response);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.Equal("healthy", body.GetProperty("dependencies").GetProperty("tableStorage").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("dependencies").GetProperty("durableBackend").GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetOpenApiDocument_WithoutKey_DescribesTheRunningApi()
    {
        using var client = system.Host.CreateClient(key: null);
        using var response = await client.GetAsync(new Uri("api/v1/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await Api.ReadJsonAsync(response);
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/resources/{resourceId}", out var resource));
        Assert.True(resource.TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task CreateZone_ThenGetAndList_ReturnsTheStoredZone()
    {
        using var client = system.Host.CreateClient();
        var name = "zone-" + Guid.NewGuid().ToString("N")[..8];

        using var created = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json($$"""{"name":"{{name}}","kind":"provider","site":"westeurope-1"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/zones/{name}", created.Headers.Location?.ToString());

        var zone = await Api.ReadJsonAsync(await client.GetAsync(new Uri($"api/v1/zones/{name}", UriKind.Relative)));
        Assert.Equal("provider", zone.GetProperty("kind").GetString());
        Assert.Equal("westeurope-1", zone.GetProperty("site").GetString());

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await Api.ReadJsonAsync(await client.GetAsync(new Uri($"api/v1/zones?pageSize=2{(token is null ? "" : "&continuationToken=" + token)}", UriKind.Relative)));
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(z => z.GetProperty("name").GetString()!));
            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);

        Assert.Contains(name, names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task ListResources_PagedByTwo_ReturnsEveryResourceOnceInIdOrder()
    {
        using var client = system.Host.CreateClient();
        var zone = "list-" + Guid.NewGuid().ToString("N")[..8];
        await Api.CreateZoneAsync(client, zone);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add($"{zone}-r{i}");
            await Api.RegisterHostAsync(client, zone, ids[^1]);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> listed;
        do
        {
            listed = [];
            string? token = null;
            do
            {
                var page = await Api.ReadJsonAsync(await client.GetAsync(new Uri($"api/v1/resources?pageSize=2{(token is null ? "" : "&continuationToken=" + token)}", UriKind.Relative)));
                Assert.True(page.GetProperty("items").GetArrayLength() <= 2);
                listed.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
                token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
            }
            while (token is not null);
        }
        while (!ids.All(listed.Contains) && DateTime.UtcNow < deadline && await Task.Delay(200).ContinueWith(_ => true));

        Assert.Equal(ids, listed.Where(ids.Contains));
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public async Task CreateZone_NameTaken_Returns409Problem()
    {
        using var client = system.Host.CreateClient();
        var name = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await Api.CreateZoneAsync(client, name);

        using var again = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json($$"""{"name":"{{name}}","kind":"client"}"""));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "api/v1/zones", null)]
    [InlineData("GET", "api/v1/zones", "wrong-key")]
    [InlineData("POST", "api/v1/zones", "wrong-key")]
    [InlineData("GET", "api/v1/operations/0123456789abcdef0123456789abcdef", "")]
    [InlineData("POST", "admin/functions/PurgeOrchestrationHistory", LocalHostProcess.FunctionKey)]
    [InlineData("GET", "admin/host/status", null)]
    [InlineData("POST", "api/v1/enrolments", LocalHostProcess.FunctionKey)]
    [InlineData("DELETE", "api/v1/agents/credentials/0123456789abcdef0123456789abcdef", LocalHostProcess.FunctionKey)]
    [InlineData("POST", "api/v1/agent/credentials/rotate", LocalHostProcess.FunctionKey)]
    [InlineData("POST", "api/v1/agent/heartbeats", LocalHostProcess.MasterKey)]
    [InlineData("GET", "api/v1/agent/identity", LocalHostProcess.MasterKey)]
    public async Task Request_WithMissingOrWrongKey_Returns401(string method, string path, string? key)
    {
        using var client = system.Host.CreateClient(key);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method == "POST")
        {
            request.Content = Api.Json("""{"name":"a","kind":"client"}""");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("api/v1/nothing-here")]
    [InlineData("api/v2/zones")]
    [InlineData("elsewhere")]
    [InlineData("api/v1/zones/no-such-zone")]
    [InlineData("api/v1/operations/not-an-operation-id")]
    [InlineData("api/v1/operations/0123456789abcdef0123456789abcdef")]
    [InlineData("api/v1/resources/no-such-resource")]
    [InlineData("api/v1/resources/no-such-resource/instances")]
    [InlineData("api/v1/zones/no-such-zone/agents")]
    [InlineData("api/v1/pools/no-such-pool")]
    [InlineData("api/v1/stacks/no-such-stack")]
    [InlineData("api/v1/stacks/no-such-stack/events")]
    [InlineData("api/v1/stacks/no-such-stack/plans/0123456789abcdef0123456789abcdef")]
    public async Task Get_UnknownRouteOrObject_Returns404Problem(string path)
    {
        using var client = system.Host.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api/v1/zones", """{"name":""", "name")]
    [InlineData("api/v1/zones", """not json""", "body")]
    [InlineData("api/v1/zones", """null""", "body")]
    [InlineData("api/v1/zones", """{"name":5,"kind":"client"}""", "name")]
    [InlineData("api/v1/zones", """{"name":"a","kind":"moon"}""", "kind")]
    [InlineData("api/v1/zones", """{"name":"a","kind":1}""", "kind")]
    [InlineData("api/v1/zones", """{"kind":"client"}""", "name")]
    [InlineData("api/v1/zones", """{"name":"a"}""", "kind")]
    [InlineData("api/v1/zones", """{"name":"Not A Name","kind":"client"}""", "name")]
    [InlineData("api/v1/zones", """{"name":"a","kind":"client","colour":"red"}""", "colour")]
    [InlineData("api/v1/zones", """{"name":"a","kind":"client","site":"x\u0000y"}""", "site")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"no-such-zone","kind":"virtualizationHost","endpoint":"qemu:///system"}""", "zone")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"virtualizationHost","endpoint":"http://example.com"}""", "endpoint")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"snmpAppliance","endpoint":"10.0.0.1:99999","deviceProfile":"lb"}""", "endpoint")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"snmpAppliance","endpoint":"10.0.0.1:161"}""", "deviceProfile")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"virtualizationHost","endpoint":"qemu:///system","serviceCategories":[7]}""", "serviceCategories[0]")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"virtualizationHost","endpoint":"qemu:///system","serviceCategories":"compute"}""", "serviceCategories")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"snmpAppliance","endpoint":"10.0.0.1:161","deviceProfile":"lb"}""", "credential")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"snmpAppliance","endpoint":"10.0.0.1:161","deviceProfile":"lb","credential":"c","members":["1.x"]}""", "members[0]")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"virtualizationHost","endpoint":"qemu:///system","credential":"c"}""", "credential")]
    [InlineData("api/v1/resources", """{"name":"r1","zone":"z","kind":"virtualizationHost","endpoint":"qemu:///system","verificationTimeoutSeconds":2}""", "verificationTimeoutSeconds")]
    [InlineData("api/v1/agent/enrol", """{"code":"en1.nope","agentId":"a1"}""", "code")]
    [InlineData("api/v1/agent/enrol", """{"agentId":"Agent One"}""", "agentId")]
    [InlineData("api/v1/agent/enrol", """{"code":"en1.x","agentId":"a1","zone":"z"}""", "zone")]
    [InlineData("api/v1/agent/enrol", """[]""", "body")]
    [InlineData("api/v1/enrolments", """{"zone":"z","usageLimit":0}""", "usageLimit")]
    [InlineData("api/v1/enrolments", """{"zone":"z","expiresInHours":721}""", "expiresInHours")]
    [InlineData("api/v1/enrolments", """{"zone":"z","expiresAt":"2000-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("api/v1/enrolments", """{"zone":"Not A Zone"}""", "zone")]
    [InlineData("api/v1/enrolments", """{"zone":"no-such-zone"}""", "zone")]
    [InlineData("api/v1/pools", """{"name":"p1","serviceKind":"loadBalancer","members":[{"id":"m1","resource":"no-such-lb","index":"1"}],"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60}}""", "members[0].resource")]
    [InlineData("api/v1/pools", """{"name":"p1","serviceKind":"spaceship"}""", "serviceKind")]
    [InlineData("api/v1/pools", """{"name":"p1","serviceKind":"cache","members":"all"}""", "members")]
    [InlineData("api/v1/pools", """{"name":"p1","serviceKind":"cache","members":[{"id":"m1","resource":"r","index":"1"}],"policy":{"metric":"m","activateAbove":"high"}}""", "policy.activateAbove")]
    [InlineData("api/v1/pools", """{"name":"p1","serviceKind":"cache","members":[{"id":"m1","resource":"r","index":"1"}],"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":90,"deactivateAfterSeconds":60}}""", "policy.deactivateBelow")]
    [InlineData("api/v1/pools", """{"name":"p1","serviceKind":"cache","members":[{"id":"m1","resource":"r","index":"1"}],"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60,"preference":"cheapest"}}""", "policy.preference")]
    [InlineData("api/v1/stacks/shop/plans", """{}""", "template")]
    [InlineData("api/v1/stacks/shop/plans", """{"template":5}""", "$")]
    [InlineData("api/v1/stacks/shop/plans", """{"template":{"schemaVersion":1},"colour":1}""", "colour")]
    [InlineData("api/v1/stacks/shop/plans", """{"template":{"schemaVersion":1,"tiers":[{"name":"web","zone":"z","size":{"vcpus":1,"memoryMiB":512},"image":"u"}]}}""", "$.tiers[0].count")]
    [InlineData("api/v1/stacks/shop/plans", """{"template":{"schemaVersion":1,"tiers":[{"name":"web","count":1,"zone":"z","size":{"vcpus":1,"memoryMiB":512},"image":"${img}"}]}}""", "$.tiers[0].image")]
    [InlineData("api/v1/stacks/shop/plans", """{"template":{"schemaVersion":1,"tiers":[{"name":"web","count":1,"zone":"z","size":{"vcpus":1,"memoryMiB":512},"image":"u","dependsOn":["db"]}]}}""", "$.tiers[0].dependsOn[0]")]
    [InlineData("api/v1/stacks/shop/plans", """{"template":{"schemaVersion":1,"tiers":[{"name":"web","count":1,"zone":"z","size":{"vcpus":1,"memoryMiB":512},"image":"u"}]},"parameters":{"x":1}}""", "parameters.x")]
    [InlineData("api/v1/stacks/a-stack-name-of-thirty-chars/plans", """{"template":{"schemaVersion":1,"tiers":[{"name":"web","count":0,"zone":"z","size":{"vcpus":1,"memoryMiB":512},"image":"u"}]}}""", "name")]
    [InlineData("api/v1/stacks/shop/continue-rollback", """{"skip":"all"}""", "skip")]
    public async Task Post_BadBody_Returns400ProblemNamingTheField(string path, string body, string field)
    {
        // Enrolments are an admin route; every other route here takes the function key.
        using var client = system.Host.CreateClient(path == "api/v1/enrolments" ? LocalHostProcess.MasterKey : LocalHostProcess.FunctionKey);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), Api.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Api.ReadJsonAsync(response);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(field, errors);
    }

    [Theory]
    [InlineData("not json", HttpStatusCode.BadRequest)]
    [InlineData("""{"serviceKind":"cache","colour":"red"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"serviceKind":"cache","members":[{"id":"m1","resource":"r","index":"1"}],"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60}}""", HttpStatusCode.NotFound)]
    public async Task PutPool_BadBodyOrUnknownPool_IsAProblem(string body, HttpStatusCode expected)
    {
        using var client = system.Host.CreateClient();
        using var response = await client.PutAsync(new Uri("api/v1/pools/no-such-pool", UriKind.Relative), Api.Json(body));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api/v1/zones")]
    [InlineData("api/v1/resources")]
    [InlineData("api/v1/agent/enrol")]
    [InlineData("api/v1/pools")]
    [InlineData("api/v1/stacks/shop/plans")]
    public async Task Post_OversizeBody_Returns413Problem(string path)
    {
        using var client = system.Host.CreateClient();
        var huge = $$"""{"name":"a","kind":"client","site":"{{new string('x', 200_000)}}"}""";

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), Api.Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("template:\n  schemaVersion: 1\n  tiers:\n    - { name: web, zone: z, size: { vcpus: 1, memoryMiB: 512 }, image: u }\n", "$.tiers[0].count")]
    [InlineData("template:\n  schemaVersion: 1\n  tiers: &t []\n  pools: *t\n", "template.pools")]
    [InlineData("template: [1, 2\n", "body")]
    public async Task PostStackPlan_AsYaml_IsReadLikeJson_AndItsErrorsNameTheSamePaths(string yaml, string field)
    {
        using var client = system.Host.CreateClient();
        using var response = await client.PostAsync(new Uri("api/v1/stacks/shop/plans", UriKind.Relative), new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await Api.ReadJsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Post_YamlWhereOnlyJsonIsTaken_Returns415Problem()
    {
        using var client = system.Host.CreateClient();
        using var response = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), new StringContent("name: a\nkind: client\n", System.Text.Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await Api.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WrongMediaType_Returns415Problem()
    {
        using var client = system.Host.CreateClient();
        using var response = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), new StringContent("name=a", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api/v1/zones", "pageSize=0")]
    [InlineData("api/v1/zones", "pageSize=abc")]
    [InlineData("api/v1/zones", "pageSize=1000")]
    [InlineData("api/v1/zones", "continuationToken=%%%")]
    [InlineData("api/v1/resources", "pageSize=0")]
    [InlineData("api/v1/resources", "pageSize=-1")]
    [InlineData("api/v1/resources", "continuationToken=%%%")]
    [InlineData("api/v1/pools", "pageSize=201")]
    [InlineData("api/v1/pools", "continuationToken=%%%")]
    [InlineData("api/v1/stacks", "pageSize=0")]
    [InlineData("api/v1/stacks", "continuationToken=%%%")]
    [InlineData("api/v1/stacks/shop/events", "pageSize=500")]
    public async Task List_BadQuery_Returns400Problem(string path, string query)
    {
        using var client = system.Host.CreateClient();
        using var response = await client.GetAsync(new Uri($"{path}?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Api.ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Object, problem.GetProperty("errors").ValueKind);
    }

    [Theory]
    [InlineData("api/v1/resources", "", """{"name":"kvm-x","zone":"no-such-zone","kind":"virtualizationHost"}""", "zone,endpoint")]
    [InlineData("api/v1/resources", "", """{"name":"Bad Name","zone":"no-such-zone","kind":"virtualizationHost","endpoint":"test:///default","verificationTimeoutSeconds":1}""", "name,zone,verificationTimeoutSeconds")]
    [InlineData("api/v1/enrolments", LocalHostProcess.MasterKey, """{"zone":"no-such-zone","usageLimit":0}""", "zone,usageLimit")]
    public async Task Post_SeveralBadFields_NamesEveryOne_ZoneExistenceIncluded(string path, string key, string body, string fields)
    {
        using var client = system.Host.CreateClient(key.Length == 0 ? LocalHostProcess.FunctionKey : key);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), Api.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ReadJsonAsync(response)).GetProperty("errors");
        Assert.Equal(fields.Split(',').Order(StringComparer.Ordinal), errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("there is no zone named 'no-such-zone'", errors.GetProperty("zone")[0].GetString(), StringComparison.Ordinal);
    }
}
