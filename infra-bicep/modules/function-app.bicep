@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity, for identity-based connections.')
param identityClientId string

@description('Storage account for state, durable task hub and the app package.')
param storageAccountName string

@description('Blob container URL holding the deployment package.')
param deploymentContainerUrl string

@description('Instance memory in MB.')
param instanceMemoryMB int

@description('Most instances to scale out to.')
param maximumInstanceCount int

@description('Durable task hub name.')
param durableHubName string

@description('Fully qualified Service Bus namespace of the command channel.')
param serviceBusNamespace string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Key Vault secret of each tenant\'s agent Service Bus connection: {tenantId, secretUri}.')
param agentConnectionSecrets array

@description('Tenant that API calls act for until tenant authentication is configured.')
param defaultTenantId string

@description('ApiKeys or EntraId: how API calls prove their tenant.')
param tenancyMode string

@description('EntraId mode: the audience tokens must be issued for.')
param entraIdAudience string

@description('EntraId mode: Entra directory id → tenant id.')
param entraIdTenants object

@description('EntraId mode: app role or scope every token must carry; empty for none.')
param entraIdRequiredRole string

@description('EntraId mode: client id of the web console\'s app registration; empty for none.')
param entraIdConsoleClientId string

var entraIdSettings = tenancyMode == 'EntraId'
  ? union(
      {
        Tenancy__EntraId__Authority: '${environment().authentication.loginEndpoint}organizations/v2.0'
        Tenancy__EntraId__Audience: entraIdAudience
        Tenancy__EntraId__RequiredRole: entraIdRequiredRole
      },
      toObject(items(entraIdTenants), tenant => 'Tenancy__EntraId__Tenants__${tenant.key}', tenant => tenant.value),
      empty(entraIdConsoleClientId)
        ? {}
        : {
            Tenancy__EntraId__ConsoleClientId: entraIdConsoleClientId
            Tenancy__EntraId__ConsoleScope: '${entraIdAudience}/.default'
          }
    )
  : {}

// Key Vault references: the platform resolves them with the app's identity; the app sees the value, the template never does.
var agentConnectionSettings = toObject(
  agentConnectionSecrets,
  secret => 'CommandChannel__AgentConnections__${secret.tenantId}',
  secret => '@Microsoft.KeyVault(SecretUri=${secret.secretUri})'
)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union({
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      DurableTask__HubName: durableHubName
      HistoryPurge__Schedule: '0 0 3 * * *'
      Connectivity__Schedule: '*/30 * * * * *'
      Connectivity__DisconnectedAfterSeconds: '180'
      Connectivity__ExpiredAfterHours: '24'
      Pools__Schedule: '*/30 * * * * *'
      Instances__ReconcileSchedule: '0 * * * * *'
      Pools__MetricsPurgeSchedule: '0 */10 * * * *'
      Pools__Partitions: '4'
      Pools__TickTimeoutSeconds: '300'
      Pools__MetricsRetentionMinutes: '60'
      HistoryPurge__RetentionHours: '168'
      Registration__VerificationTimeoutSeconds: '120'
      Registration__MinimumLibvirtVersion: '4.0.0'
      Registration__DrainGraceSeconds: '120'
      Placement__CpuOvercommit: '4'
      Placement__MemoryOvercommit: '1'
      Migrations__BlockSizeKiB: '8192'
      Migrations__Concurrency: '8'
      Migrations__StepTimeoutSeconds: '120'
      Migrations__SasLifetimeMinutes: '60'
      Operations__StalledAfterSeconds: '120'
      Tenancy__Mode: tenancyMode
      Tenancy__DefaultTenantId: defaultTenantId
      ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identityClientId
      CommandChannel__QueueNamePrefix: 'commands-'
      CommandChannel__DefaultTimeoutSeconds: '30'
    }, entraIdSettings, agentConnectionSettings)
  }

  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

@description('Function App name.')
output name string = app.name

@description('Default host name of the app.')
output defaultHostName string = app.properties.defaultHostName
