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

@description('Days Log Analytics keeps the app\'s logs and the vault\'s audit log.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

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

@description('EntraId mode: client id of the web console\'s app registration (a single-page application with https://<app>/api/console/ as redirect URI); empty: the console takes pasted tokens only.')
param entraIdConsoleClientId string = ''

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

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
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
    keyVaultName: keyVault.outputs.name
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
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    agentConnectionSecrets: serviceBus.outputs.agentConnectionSecrets
    defaultTenantId: tenantIds[0]
    tenancyMode: tenancyMode
    entraIdAudience: entraIdAudience
    entraIdTenants: entraIdTenants
    entraIdRequiredRole: entraIdRequiredRole
    entraIdConsoleClientId: entraIdConsoleClientId
  }
}

var apiBaseUrl = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Base URL of the HTTP API.')
output apiBaseUrl string = apiBaseUrl

@description('Name of the Function App; its admin (master) key authorizes admin routes: az functionapp keys list -g <rg> -n <name>.')
output functionAppName string = functionApp.outputs.name

@description('Enrol an agent: an admin creates a one-time code for a zone, then the install script on the agent host exchanges it (the Service Bus key comes with it).')
output agentEnrolment object = {
  createCode: 'curl -H "x-functions-key: <master key>" -H "content-type: application/json" -d \'{"zone":"<zone>"}\' ${apiBaseUrl}/v1/enrolments'
  installAgent: 'sudo ./install.sh --url https://${functionApp.outputs.defaultHostName}/ --code <code> --agent-id <agent id>'
}

@description('Service Bus namespace the agents connect to (outbound AMQP over TLS, port 5671, or 443 with AMQP over WebSockets).')
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace

@description('Key Vault with each tenant\'s agent Service Bus connection (agents-servicebus-<tenant>).')
output keyVaultName string = keyVault.outputs.name

@description('Application Insights component with the app\'s logs and traces.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
