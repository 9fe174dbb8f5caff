using System.Text.Json.Serialization;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Health;
using Serverless.Functions.Operations;
using Serverless.Functions.Registration;
using Serverless.Functions.Zones;

namespace Serverless.Functions.Http;

/// <summary>Source-generated metadata for every request and response body of the HTTP API.</summary>
[JsonSerializable(typeof(CreateZoneRequest))]
[JsonSerializable(typeof(ZoneResponse))]
[JsonSerializable(typeof(ZoneListResponse))]
[JsonSerializable(typeof(RegisterResourceRequest))]
[JsonSerializable(typeof(RegistrationAcceptedResponse))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(OperationResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
