using System.Net;

namespace Serverless.Cli.Tests;

public sealed class ProblemLineTests
{
    [Fact]
    public void ProblemLine_NamesTheStatusTheDetailAndEachField() => Assert.Equal(
        "400 Bad Request: The request is invalid.: check the fields; minutes: must be 1 to 1440.",
        ApiClient.ProblemLine(400, HttpStatusCode.BadRequest,
            """{"type":"about:blank","title":"The request is invalid.","status":400,"detail":"check the fields","errors":{"minutes":["must be 1 to 1440."]}}"""));

    [Fact]
    public void ProblemLine_ATitleThatOnlyRepeatsTheStatus_IsNotRepeated() =>
        Assert.Equal("404 Not Found: pool 'x' was not found.", ApiClient.ProblemLine(404, HttpStatusCode.NotFound, """{"title":"Not Found","detail":"pool 'x' was not found."}"""));

    [Fact]
    public void ProblemLine_ABodyThatIsNotJson_GivesTheStatusAlone() =>
        Assert.Equal("502 Bad Gateway", ApiClient.ProblemLine(502, HttpStatusCode.BadGateway, "<html>upstream</html>"));
}
