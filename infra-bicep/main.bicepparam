// The parameters `azd up` uses (azure.yaml): the azd environment's name and settings. `azd env set` any of
// CONTROL_PLANE_TENANTS (comma-separated tenant ids), SERVICE_BUS_SKU (Standard or Premium), TENANCY_MODE
// (ApiKeys or EntraId) with ENTRA_ID_AUDIENCE, ENTRA_ID_TENANTS, ENTRA_ID_REQUIRED_ROLE and ENTRA_ID_CONSOLE_CLIENT_ID.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param serviceBusSku = readEnvironmentVariable('SERVICE_BUS_SKU', 'Standard')
param tenantIds = split(readEnvironmentVariable('CONTROL_PLANE_TENANTS', 'default'), ',')
param tenancyMode = readEnvironmentVariable('TENANCY_MODE', 'ApiKeys')
param entraIdAudience = readEnvironmentVariable('ENTRA_ID_AUDIENCE', '')
param entraIdTenants = json(readEnvironmentVariable('ENTRA_ID_TENANTS', '{}'))
param entraIdRequiredRole = readEnvironmentVariable('ENTRA_ID_REQUIRED_ROLE', '')
param entraIdConsoleClientId = readEnvironmentVariable('ENTRA_ID_CONSOLE_CLIENT_ID', '')
