using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// A host in <c>EntraId</c> mode against a stand-in authority served over HTTP on loopback: the host fetches its
/// OpenID Connect metadata and keys, admits the directories it is configured with, and keeps tenants apart; the web
/// console signs a user in through the authority's authorization and token endpoints (code flow with PKCE).
/// </summary>
public sealed class EntraIdTenancyTests : IAsyncLifetime
{
    private const string Audience = "api://hybrid-control-plane-tests";
    private const string AlphaDirectory = "0a1b2c3d-0000-4000-8000-00000000000a";
    private const string BetaDirectory = "0a1b2c3d-0000-4000-8000-00000000000b";

    private const string ConsoleClientId = "5c0e50fe-0000-4000-8000-00000000c0de";
    private readonly int _authorityPort = FreePorts.Next();
    private TestTokenAuthority _authority = null!;
    private WebApplication _authorityServer = null!;
    private AzuriteProcess _azurite = null!;
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _authority = new TestTokenAuthority($"http://127.0.0.1:{_authorityPort}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _authorityServer = builder.Build();
        _authorityServer.Urls.Add($"http://127.0.0.1:{_authorityPort}");
        // The browser reads the metadata and redeems its code from the console's origin: Entra answers those cross-origin.
        _authorityServer.Use((context, next) =>
        {
            context.Response.Headers.AccessControlAllowOrigin = "*";
            return next(context);
        });
        _authorityServer.MapGet("/organizations/v2.0/.well-known/openid-configuration", () => Results.Text(_authority.MetadataJson(), "application/json"));
        _authorityServer.MapGet("/organizations/discovery/v2.0/keys", () => Results.Text(_authority.KeySetJson(), "application/json"));
        _authorityServer.MapGet(_authority.AuthorizationPath, (HttpRequest request) =>
            _authority.Authorize(request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), ConsoleClient, new SignInUser(AlphaDirectory, ["ControlPlane.Operator"]))
                is { } location ? Results.Redirect(location) : Results.BadRequest("unregistered client or redirect URI"));
        _authorityServer.MapPost(_authority.TokenPath, async (HttpRequest request) =>
        {
            var (status, json) = _authority.Redeem((await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString()));
            return Results.Text(json, "application/json", statusCode: status);
        });
        await _authorityServer.StartAsync();

        _azurite = await AzuriteProcess.StartAsync();
        _host = await LocalHostProcess.StartAsync(_azurite, new Dictionary<string, string>
        {
            ["Tenancy__Mode"] = "EntraId",
            ["Tenancy__EntraId__Authority"] = _authority.Authority,
            ["Tenancy__EntraId__Audience"] = Audience,
            [$"Tenancy__EntraId__Tenants__{AlphaDirectory}"] = "alpha",
            [$"Tenancy__EntraId__Tenants__{BetaDirectory}"] = "beta",
            ["Tenancy__EntraId__RequiredRole"] = "ControlPlane.Operator",
            ["Tenancy__EntraId__ConsoleClientId"] = ConsoleClientId,
        });
    }

    private SignInClient ConsoleClient => new(ConsoleClientId, new Uri(_host.BaseAddress, "api/console/").ToString(), $"{Audience}/.default", Audience);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
        await _authorityServer.DisposeAsync();
        _authority.Dispose();
    }

    [Fact]
    public async Task Tokens_DecideTheTenant_OtherTenantsObjectsAreNotFound_AndBadTokensAre401SayingWhy()
    {
        using var alpha = Client(_authority.CreateToken(AlphaDirectory, Audience, ["ControlPlane.Operator"]));
        using var beta = Client(_authority.CreateToken(BetaDirectory, Audience, ["ControlPlane.Operator"]));

        using (var created = await alpha.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json("""{"name":"dc-1","kind":"client"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var own = await alpha.GetAsync(new Uri("api/v1/zones/dc-1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using (var foreign = await beta.GetAsync(new Uri("api/v1/zones/dc-1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        foreach (var (token, reason) in new[]
        {
            ((string?)null, "no bearer token"),
            (_authority.CreateToken(AlphaDirectory, "api://another-api", ["ControlPlane.Operator"]), "issued for another audience"),
            (_authority.CreateToken(AlphaDirectory, Audience, ["ControlPlane.Operator"], expires: DateTime.UtcNow.AddMinutes(-30)), "has expired"),
            (_authority.CreateToken(AlphaDirectory, Audience, ["Reader"]), "neither the app role nor the scope"),
            (_authority.CreateToken("0a1b2c3d-0000-4000-8000-0000000000ff", Audience, ["ControlPlane.Operator"]), "is not admitted"),
        })
        {
            using var client = Client(token);
            using var refused = await client.GetAsync(new Uri("api/v1/zones", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var problem = await Api.ReadJsonAsync(refused);
            Assert.Equal("No valid Entra ID token.", problem.GetProperty("title").GetString());
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Console_SignsInWithMicrosoft_ByCodeAndPkce_ListsOnlyItsDirectorysZones_AndRefusesAnAnswerItDidNotAskFor()
    {
        using (var alpha = Client(_authority.CreateToken(AlphaDirectory, Audience, ["ControlPlane.Operator"])))
        using (var created = await alpha.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json("""{"name":"alpha-dc","kind":"client"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var beta = Client(_authority.CreateToken(BetaDirectory, Audience, ["ControlPlane.Operator"])))
        using (var created = await beta.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Api.Json("""{"name":"beta-dc","kind":"client"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var anyone = _host.CreateClient(key: null))
        using (var settings = await anyone.GetAsync(new Uri("api/console/sign-in.json", UriKind.Relative)))
        {
            var answer = await Api.ReadJsonAsync(settings);
            var entraId = answer.GetProperty("entraId");
            Assert.Equal(("entraId", _authority.Authority, ConsoleClientId, $"{Audience}/.default"),
                (answer.GetProperty("tenancy").GetString(), entraId.GetProperty("authority").GetString(), entraId.GetProperty("clientId").GetString(), entraId.GetProperty("scope").GetString()));
        }

        await ConsoleBrowser.RunAsync(_host, "entra.test.mjs", new Dictionary<string, string> { ["ZONE"] = "alpha-dc", ["OTHER_ZONE"] = "beta-dc" });

        // The forged answer never reached the token endpoint; the sign-in's own code was redeemed, once.
        Assert.Equal(1, _authority.Redeemed);
    }

    private HttpClient Client(string? token)
    {
        var client = _host.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
