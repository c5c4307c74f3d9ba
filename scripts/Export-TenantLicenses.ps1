<#
.SYNOPSIS
    Export users, their licenses and the tenant's subscriptions for the E4 upgrade playbook.

.DESCRIPTION
    Read-only. Signs in to Microsoft Graph with read scopes only and writes two files in exactly
    the shape the playbook's graph-json readers expect (Graph's own camelCase names, in a
    "value" array, like a Graph response):

      users.json          GET /users?$select=id,userPrincipalName,displayName,department,
                          usageLocation,accountEnabled,assignedLicenses,licenseAssignmentStates
      subscriptions.json  GET /subscribedSkus

    assignedLicenses and licenseAssignmentStates are only returned when selected, so both are
    asked for explicitly. licenseAssignmentStates tells direct from group-based assignments and
    shows assignments in an error state; the playbook needs both.

    Nothing is changed in the tenant. Put the two files in a tenant folder beside tenant.yaml
    and run:  e4-playbook inspect <tenant-folder>

.PARAMETER OutputFolder
    Folder to write users.json and subscriptions.json to (created if missing).

.PARAMETER Scopes
    Graph permissions to request. User.Read.All reads users with their licenses;
    LicenseAssignment.Read.All is the least privileged permission for subscribedSkus. If your
    tenant cannot consent to it, use Organization.Read.All instead (also read-only).

.EXAMPLE
    ./Export-TenantLicenses.ps1 -OutputFolder ./data/tenants/contoso
#>
[CmdletBinding()]
param(
    [string] $OutputFolder = ".",
    [string[]] $Scopes = @("User.Read.All", "LicenseAssignment.Read.All")
)

#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Users, Microsoft.Graph.Identity.DirectoryManagement

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

function Write-Utf8Json {
    # UTF-8 without BOM on both Windows PowerShell 5.1 and PowerShell 7; depth high enough that
    # nested objects are never cut off into .NET type names.
    param([Parameter(Mandatory)] $Data, [Parameter(Mandatory)] [string] $Path)
    $json = ConvertTo-Json -InputObject $Data -Depth 10
    [System.IO.File]::WriteAllText($Path, $json, [System.Text.UTF8Encoding]::new($false))
}

function ConvertTo-GuidList {
    param($Values)
    # The leading comma keeps an empty or one-element array an array (PowerShell unrolls it).
    return ,[string[]]@(@($Values) | Where-Object { $_ } | ForEach-Object { "$_".ToLowerInvariant() })
}

Connect-MgGraph -Scopes $Scopes -NoWelcome | Out-Null
New-Item -ItemType Directory -Force -Path $OutputFolder | Out-Null

# --- users with licenses -------------------------------------------------------------------
$properties = "id,userPrincipalName,displayName,department,usageLocation,accountEnabled," +
              "assignedLicenses,licenseAssignmentStates"
$users = Get-MgUser -All -Property $properties.Split(",")

# Explicit lists, not pipeline output: an empty or one-item result must stay a JSON array.
$userRecords = [System.Collections.Generic.List[object]]::new()
foreach ($u in $users) {
    $assigned = [System.Collections.Generic.List[object]]::new()
    foreach ($a in @($u.AssignedLicenses)) {
        if ($null -eq $a) { continue }
        $assigned.Add([ordered]@{
            disabledPlans = ConvertTo-GuidList $a.DisabledPlans
            skuId         = "$($a.SkuId)".ToLowerInvariant()
        })
    }
    $states = [System.Collections.Generic.List[object]]::new()
    foreach ($s in @($u.LicenseAssignmentStates)) {
        if ($null -eq $s) { continue }
        $states.Add([ordered]@{
            assignedByGroup     = if ($s.AssignedByGroup) { "$($s.AssignedByGroup)".ToLowerInvariant() } else { $null }
            disabledPlans       = ConvertTo-GuidList $s.DisabledPlans
            error               = if ($s.Error) { "$($s.Error)" } else { "None" }
            lastUpdatedDateTime = if ($s.LastUpdatedDateTime) { $s.LastUpdatedDateTime.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ") } else { $null }
            skuId               = "$($s.SkuId)".ToLowerInvariant()
            state               = "$($s.State)"
        })
    }
    $userRecords.Add([ordered]@{
        id                      = "$($u.Id)".ToLowerInvariant()
        userPrincipalName       = $u.UserPrincipalName
        displayName             = $u.DisplayName
        department              = $u.Department
        usageLocation           = $u.UsageLocation
        accountEnabled          = $u.AccountEnabled
        assignedLicenses        = $assigned.ToArray()
        licenseAssignmentStates = $states.ToArray()
    })
}
Write-Utf8Json -Data ([ordered]@{ value = $userRecords.ToArray() }) -Path (Join-Path $OutputFolder "users.json")

# --- subscriptions -------------------------------------------------------------------------
$skus = Get-MgSubscribedSku -All
$skuRecords = [System.Collections.Generic.List[object]]::new()
foreach ($k in $skus) {
    $plans = [System.Collections.Generic.List[object]]::new()
    foreach ($p in @($k.ServicePlans)) {
        if ($null -eq $p) { continue }
        $plans.Add([ordered]@{
            servicePlanId      = "$($p.ServicePlanId)".ToLowerInvariant()
            servicePlanName    = $p.ServicePlanName
            provisioningStatus = $p.ProvisioningStatus
            appliesTo          = $p.AppliesTo
        })
    }
    $skuRecords.Add([ordered]@{
        skuId            = "$($k.SkuId)".ToLowerInvariant()
        skuPartNumber    = $k.SkuPartNumber
        appliesTo        = $k.AppliesTo
        capabilityStatus = $k.CapabilityStatus
        consumedUnits    = $k.ConsumedUnits
        prepaidUnits     = [ordered]@{
            enabled   = $k.PrepaidUnits.Enabled
            warning   = $k.PrepaidUnits.Warning
            suspended = $k.PrepaidUnits.Suspended
            lockedOut = $k.PrepaidUnits.LockedOut
        }
        servicePlans     = $plans.ToArray()
        subscriptionIds  = ConvertTo-GuidList $k.SubscriptionIds
    })
}
Write-Utf8Json -Data ([ordered]@{ value = $skuRecords.ToArray() }) -Path (Join-Path $OutputFolder "subscriptions.json")

Write-Host ("Wrote {0} users and {1} subscriptions to {2}" -f $userRecords.Count, $skuRecords.Count, (Resolve-Path $OutputFolder))
Disconnect-MgGraph | Out-Null
