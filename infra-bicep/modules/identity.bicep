@description('Name of the user-assigned identity the app runs as.')
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Principal (object) id, for role assignments.')
output principalId string = identity.properties.principalId

@description('Client id, for identity-based connections.')
output clientId string = identity.properties.clientId
