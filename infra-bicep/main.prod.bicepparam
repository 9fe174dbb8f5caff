// Production: Premium Service Bus (isolated capacity, predictable latency), 90 days of logs, Entra ID sign-in.
// The tenants, the API's audience and the admitted directories come from the environment, so nothing here is
// edited per organisation: CONTROL_PLANE_TENANTS="contoso,fabrikam", ENTRA_ID_AUDIENCE="api://hybrid-control-plane",
// ENTRA_ID_TENANTS='{"<directory id>":"contoso"}', optionally ENTRA_ID_REQUIRED_ROLE.
using 'main.bicep'

param environmentName = 'prod'
param maximumInstanceCount = 200
param instanceMemoryMB = 2048
param serviceBusSku = 'Premium'
param logRetentionInDays = 90
param tenantIds = split(readEnvironmentVariable('CONTROL_PLANE_TENANTS', 'default'), ',')
param tenancyMode = 'EntraId'
param entraIdAudience = readEnvironmentVariable('ENTRA_ID_AUDIENCE', 'api://hybrid-control-plane')
param entraIdTenants = json(readEnvironmentVariable('ENTRA_ID_TENANTS', '{}'))
param entraIdRequiredRole = readEnvironmentVariable('ENTRA_ID_REQUIRED_ROLE', '')
param entraIdConsoleClientId = readEnvironmentVariable('ENTRA_ID_CONSOLE_CLIENT_ID', '')
