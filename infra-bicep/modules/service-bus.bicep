@description('Service Bus namespace name.')
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags object

@description('Standard or Premium.')
@allowed([
  'Standard'
  'Premium'
])
param sku string

@description('Tenants that get a command queue now (commands-<tenant>); more are added by the same template later.')
param tenantIds array

@description('Session lock duration of the command queues, ISO 8601; agents renew at a third of it.')
param lockDuration string

@description('Principal id of the app identity that sends commands.')
param principalId string

@description('Key Vault that keeps each queue\'s agent (Listen-only) connection string for the app to hand out at enrolment.')
param keyVaultName string

// Built-in role: send only; the app never reads the agents' queues.
var serviceBusDataSender = '69a216fc-b8fb-44d8-bc22-1f3c2552a39a'

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
  }
  properties: {
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    // Agents on premise authenticate with per-queue SAS keys (Listen only); the app uses its identity.
    disableLocalAuth: false
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for tenantId in tenantIds: {
  parent: namespace
  name: 'commands-${tenantId}'
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    maxDeliveryCount: 10
    lockDuration: lockDuration
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P1D'
  }
}]

resource agentListenRules 'Microsoft.ServiceBus/namespaces/queues/authorizationRules@2022-10-01-preview' = [for (tenantId, i) in tenantIds: {
  parent: queues[i]
  name: 'agents'
  properties: {
    rights: [
      'Listen'
    ]
  }
}]

// Scoped to each command queue: the app may send to the queues it owns and to nothing else in the namespace.
resource senderRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (tenantId, i) in tenantIds: {
  name: guid(queues[i].id, principalId, serviceBusDataSender)
  scope: queues[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender)
  }
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// The key goes from Service Bus straight into the vault; it never appears in outputs, app settings or logs.
resource agentConnectionSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for (tenantId, i) in tenantIds: {
  parent: vault
  name: 'agents-servicebus-${tenantId}'
  properties: {
    contentType: 'Service Bus connection string (Listen on commands-${tenantId})'
    value: agentListenRules[i].listKeys().primaryConnectionString
  }
}]

@description('Namespace name.')
output name string = namespace.name

@description('Each tenant\'s agent connection string secret: {tenantId, secretUri} (unversioned, so a rotated key is picked up).')
output agentConnectionSecrets array = [for (tenantId, i) in tenantIds: {
  tenantId: tenantId
  secretUri: agentConnectionSecrets[i].properties.secretUri
}]

@description('Host name the app and the agents connect to.')
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
