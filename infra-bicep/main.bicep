targetScope = 'resourceGroup'

@description('Short environment name (dev, prod); part of every resource name.')
@minLength(1)
@maxLength(16)
param environmentName string

@description('Azure region for all resources.')
param location string = resourceGroup().location

@description('Instance memory of the Flex Consumption app in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Service Bus tier of the command channel.')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Tenants whose command queues are created (commands-<tenant>).')
param tenantIds array = [
  'default'
]

@description('How API calls prove their tenant: ApiKeys (tenant API keys issued by an admin) or EntraId (Entra ID access tokens).')
@allowed([
  'ApiKeys'
  'EntraId'
])
param tenancyMode string = 'ApiKeys'

@description('EntraId mode: the API\'s application ID URI or client id that tokens must be issued for.')
param entraIdAudience string = ''

@description('EntraId mode: Entra directory (tenant) id → this control plane\'s tenant id, for every admitted directory.')
param entraIdTenants object = {}

@description('EntraId mode: app role or scope every token must carry; empty for none.')
param entraIdRequiredRole string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
}
var durableHubName = 'hybrid${environmentName}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    sku: serviceBusSku
    tenantIds: tenantIds
    lockDuration: 'PT1M'
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    durableHubName: durableHubName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    defaultTenantId: tenantIds[0]
    tenancyMode: tenancyMode
    entraIdAudience: entraIdAudience
    entraIdTenants: entraIdTenants
    entraIdRequiredRole: entraIdRequiredRole
  }
}

@description('Base URL of the HTTP API.')
output apiBaseUrl string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Service Bus namespace agents connect to; each agent gets its queue\'s "agents" Listen key.')
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace

@description('Name of the Function App.')
output functionAppName string = functionApp.outputs.name
