using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Serverless.Functions;
using Serverless.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddControlPlane(builder.Configuration);
builder.Services.AddControlPlaneTelemetry(builder.Configuration, functionsWorker: true);
await builder.Build().RunAsync();
