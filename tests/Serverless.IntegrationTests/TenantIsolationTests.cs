using System.Net;
using System.Net.Http.Headers;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Tenant API keys on a host in <c>ApiKeys</c> mode: no key or a revoked key is 401, and on every tenant-scoped route
/// tenant B touching tenant A's objects gets 404 (or, for references inside a body, the field error that the object
/// does not exist) and changes nothing.
/// </summary>
public sealed class TenantIsolationTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _host = await LocalHostProcess.StartAsync(_azurite, new Dictionary<string, string> { ["Tenancy__Mode"] = "ApiKeys" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task EveryRoute_OtherTenantsObjects_AreNotFound_AndKeysAreRequired()
    {
        var (alphaKey, _) = await IssueKeyAsync("alpha");
        var (betaKey, betaKeyId) = await IssueKeyAsync("beta");
        using var alpha = Client(alphaKey);
        using var beta = Client(betaKey);
        using var alphaAdmin = Client(alphaKey, LocalHostProcess.MasterKey);
        using var betaAdmin = Client(betaKey, LocalHostProcess.MasterKey);

        using (var anonymous = _host.CreateClient())
        {
            using var noKey = await anonymous.GetAsync(new Uri("api/v1/zones", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);

            // The key is checked before the body is read: a bad body without a key is 401, not 400.
            using var badBodyNoKey = await anonymous.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json("not json"));
            Assert.Equal(HttpStatusCode.Unauthorized, badBodyNoKey.StatusCode);
        }

        // Alpha's objects.
        Assert.Equal(HttpStatusCode.Created, (await alpha.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json("""{"name":"dc-1","kind":"client"}"""))).StatusCode);
        using var registered = await alpha.PostAsync(new Uri("api/v1/resources", UriKind.Relative),
            Api.Json("""{"name":"kvm-1","zone":"dc-1","kind":"virtualizationHost","endpoint":"test:///default","verificationTimeoutSeconds":5}"""));
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        var operationId = (await Api.ReadJsonAsync(registered)).GetProperty("operationId").GetString()!;
        using var credential = await alphaAdmin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Api.Json("""{"agentId":"a1","agentGroup":"dc-1"}"""));
        var credentialId = (await Api.ReadJsonAsync(credential)).GetProperty("credentialId").GetString()!;

        // Beta sees none of it, and cannot reach into it.
        foreach (var path in new[] { "api/v1/zones/dc-1", "api/v1/zones/dc-1/agents", "api/v1/resources/kvm-1", "api/v1/resources/kvm-1/instances", $"api/v1/operations/{operationId}" })
        {
            using var response = await beta.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        }

        foreach (var path in new[] { "api/v1/zones", "api/v1/resources", "api/v1/instances" })
        {
            using var list = await beta.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(0, (await Api.ReadJsonAsync(list)).GetProperty("items").GetArrayLength());
        }

        foreach (var path in new[] { "api/v1/resources/kvm-1", "api/v1/resources/kvm-1?force=true", "api/v1/zones/dc-1/agents" })
        {
            using var unregister = await beta.DeleteAsync(new Uri(path, UriKind.Relative));
            Assert.True(unregister.StatusCode == HttpStatusCode.NotFound, $"DELETE {path}: {unregister.StatusCode}");
        }

        foreach (var (method, path) in new[] { ("GET", "api/v1/instances/web-1"), ("POST", "api/v1/instances/web-1/stop"), ("DELETE", "api/v1/instances/web-1") })
        {
            using var response = await beta.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        // Alpha's stack (a tier of none, so no host is needed) is beta's on no route.
        using var stackPlan = await alpha.PostAsync(new Uri("api/v1/stacks/s1/plans", UriKind.Relative), Api.Json(
            """{"template":{"schemaVersion":1,"tiers":[{"name":"web","count":0,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu-24.04"}]}}"""));
        Assert.Equal(HttpStatusCode.Created, stackPlan.StatusCode);
        var planId = (await Api.ReadJsonAsync(stackPlan)).GetProperty("planId").GetString()!;
        foreach (var (method, path) in new[]
        {
            ("GET", "api/v1/stacks/s1"), ("GET", "api/v1/stacks/s1/events"), ("GET", $"api/v1/stacks/s1/plans/{planId}"), ("POST", $"api/v1/stacks/s1/plans/{planId}/apply"),
            ("POST", "api/v1/stacks/s1/retry"), ("POST", "api/v1/stacks/s1/rollback"), ("POST", "api/v1/stacks/s1/continue-rollback"), ("DELETE", "api/v1/stacks/s1"),
        })
        {
            using var response = await beta.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        using (var betaStacks = await beta.GetAsync(new Uri("api/v1/stacks", UriKind.Relative)))
        {
            Assert.Equal(0, (await Api.ReadJsonAsync(betaStacks)).GetProperty("items").GetArrayLength());
        }

        using (var betaPlan = await beta.PostAsync(new Uri("api/v1/stacks/s1/plans", UriKind.Relative), Api.Json(
            """{"template":{"schemaVersion":1,"tiers":[{"name":"web","count":0,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu-24.04"}]}}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, betaPlan.StatusCode);
            Assert.Contains("there is no zone named 'dc-1'", (await Api.ReadJsonAsync(betaPlan)).GetProperty("errors").GetProperty("$.tiers[0].zone")[0].GetString(), StringComparison.Ordinal);
        }

        using (var alphaStack = await alpha.GetAsync(new Uri("api/v1/stacks/s1", UriKind.Relative)))
        {
            Assert.Equal("new", (await Api.ReadJsonAsync(alphaStack)).GetProperty("status").GetString());
        }

        using (var ping = await beta.PostAsync(new Uri("api/v1/zones/dc-1/ping", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.NotFound, ping.StatusCode);
        }

        using (var revoke = await betaAdmin.DeleteAsync(new Uri($"api/v1/agents/credentials/{credentialId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        }

        foreach (var (path, body, client) in new[]
        {
            ("api/v1/resources", """{"name":"kvm-2","zone":"dc-1","kind":"virtualizationHost","endpoint":"test:///default"}""", beta),
            ("api/v1/enrolments", """{"zone":"dc-1"}""", betaAdmin),
            ("api/v1/instances", """{"name":"web-1","zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu-24.04"}""", beta),
        })
        {
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), Api.Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("there is no zone named 'dc-1'", (await Api.ReadJsonAsync(response)).GetProperty("errors").GetProperty("zone")[0].GetString(), StringComparison.Ordinal);
        }

        // Alpha's host is not beta's to adopt from: the field says so, as for a host that does not exist.
        using (var adopt = await beta.PostAsync(new Uri("api/v1/instances/adopt", UriKind.Relative), Api.Json("""{"host":"kvm-1","name":"web-1"}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, adopt.StatusCode);
            Assert.Contains("'kvm-1' is not a registered virtualization host of the tenant", (await Api.ReadJsonAsync(adopt)).GetProperty("errors").GetProperty("host")[0].GetString(), StringComparison.Ordinal);
        }

        // Names are per tenant: beta has its own dc-1, and alpha's is unchanged.
        Assert.Equal(HttpStatusCode.Created, (await beta.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json("""{"name":"dc-1","kind":"provider"}"""))).StatusCode);
        using (var alphaZone = await alpha.GetAsync(new Uri("api/v1/zones/dc-1", UriKind.Relative)))
        {
            Assert.Equal("client", (await Api.ReadJsonAsync(alphaZone)).GetProperty("kind").GetString());
        }

        // A revoked key stops at once.
        using var admin = _host.CreateClient(LocalHostProcess.MasterKey);
        using (var revoked = await admin.DeleteAsync(new Uri($"api/v1/tenants/beta/keys/{betaKeyId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        using var refused = await beta.GetAsync(new Uri("api/v1/zones", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("No valid tenant API key.", (await Api.ReadJsonAsync(refused)).GetProperty("title").GetString());
    }

    private async Task<(string Key, string KeyId)> IssueKeyAsync(string tenantId)
    {
        using var admin = _host.CreateClient(LocalHostProcess.MasterKey);
        using var response = await admin.PostAsync(new Uri($"api/v1/tenants/{tenantId}/keys", UriKind.Relative), Api.Json("""{"description":"tests"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Api.ReadJsonAsync(response);
        return (body.GetProperty("key").GetString()!, body.GetProperty("keyId").GetString()!);
    }

    private HttpClient Client(string tenantKey, string functionsKey = LocalHostProcess.FunctionKey)
    {
        var client = _host.CreateClient(functionsKey);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
        return client;
    }
}
