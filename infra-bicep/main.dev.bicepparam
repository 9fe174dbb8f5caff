// Development: Standard Service Bus, small scale-out, short log retention. Deploy with
// az deployment group create -g <resource group> -f infra-bicep/main.bicep -p infra-bicep/main.dev.bicepparam
using 'main.bicep'

param environmentName = 'dev'
param maximumInstanceCount = 40
param serviceBusSku = 'Standard'
param logRetentionInDays = 30
param tenantIds = [
  'default'
]
