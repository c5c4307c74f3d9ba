<#
.SYNOPSIS
    Moves users off Office 365 E4 exactly as plan.csv (written by e4-playbook) says.

.DESCRIPTION
    The same script for every tenant: every user, group and license id comes from the plan
    CSV; none is written in this file. Without -Execute it only shows what it would do.

    Each user gets ONE Set-MgUserLicense call that adds the new plan and removes E4 together,
    so there is no moment without a license. Groups get one Set-MgGroupLicense call. A user
    without usage location gets Update-MgUser first (same batch, earlier row).
    Throttled calls (HTTP 429) wait for Retry-After, then retry.
    Every outcome is appended to a results CSV; a new run skips actions that file shows as
    Done with the same content, so an interrupted run simply resumes. Delete the results file
    to run everything again.

.PARAMETER PlanPath
    plan.csv, or rollback.csv to undo. Default: plan.csv next to this script.
.PARAMETER ResultsPath
    Where outcomes are logged. Default: <plan name>.results.csv next to the plan.
.PARAMETER Execute
    Make the changes. Without it the script runs as -WhatIf and connects to nothing.
.PARAMETER Batch
    Only these batch numbers (e.g. -Batch 1 for a pilot).
.PARAMETER TenantId
    Tenant to sign in to (partners working for several tenants).

.EXAMPLE
    .\Invoke-E4Reassignment.ps1                                 # preview everything
    .\Invoke-E4Reassignment.ps1 -Batch 1 -Execute               # pilot batch 1
    .\Invoke-E4Reassignment.ps1 -Execute                        # the rest; re-run to resume
    .\Invoke-E4Reassignment.ps1 -PlanPath .\rollback.csv -Execute   # undo
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string] $PlanPath = (Join-Path $PSScriptRoot 'plan.csv'),
    [string] $ResultsPath = '',
    [switch] $Execute,
    [int[]] $Batch = @(),
    [string] $TenantId = '',
    [int] $MaxAttempts = 8
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The plan.csv columns this script reads (e4-playbook's tests check plan.csv writes them).
$Columns = @('action_id', 'kind', 'batch', 'user_id', 'upn', 'group_id', 'new_usage_location',
    'add_sku_id', 'remove_sku_id', 'disabled_plan_ids_after', 'target_before')
$Runnable = @('set-usage-location', 'user-swap', 'reclaim', 'group-swap')
$GuidPattern = '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
$Preview = (-not $Execute) -or $WhatIfPreference

function Get-Cell([object] $Row, [string] $Name) {
    # The CSV prefixes ' to cells a spreadsheet could run as a formula (and to cells that
    # start with '), so removing exactly one leading ' gives the value back. Values are only
    # ever passed as parameters, never run as code.
    $value = [string] $Row.$Name
    if ($value.StartsWith("'")) { $value = $value.Substring(1) }
    return $value.Trim()
}

function Protect-Cell([string] $Text) {
    # The results CSV may be opened in Excel too: neutralise formula-like cells the same way.
    if ($Text -match "^[=+\-@`t`r']") { return "'" + $Text }
    return $Text
}

function Get-RetryAfter([System.Management.Automation.ErrorRecord] $Failure, [int] $Attempt) {
    # Seconds to wait when the call was throttled (HTTP 429); -1 when it was not throttled.
    $response = $null
    if ($Failure.Exception.PSObject.Properties['Response']) { $response = $Failure.Exception.Response }
    $status = 0
    if ($response -and $response.PSObject.Properties['StatusCode']) { $status = [int] $response.StatusCode }
    if ($status -ne 429 -and "$Failure" -notmatch 'TooManyRequests|\b429\b') { return -1 }
    $values = $null
    $seconds = 0.0
    try {
        if ($response -and $response.Headers.TryGetValues('Retry-After', [ref] $values) -and
            [double]::TryParse(@($values)[0], [Globalization.NumberStyles]::Float,
                [Globalization.CultureInfo]::InvariantCulture, [ref] $seconds)) {
            return [int] [math]::Ceiling([math]::Max($seconds, 1))   # may be fractional
        }
    }
    catch { }   # no readable header: back off below
    return [int] [math]::Min(60, [math]::Pow(2, $Attempt))   # no Retry-After: back off
}

function Invoke-WithRetry([scriptblock] $Call) {
    # Runs $Call; on 429 waits Retry-After and tries again. Returns the number of attempts.
    for ($attempt = 1; ; $attempt++) {
        try { $null = & $Call; return $attempt }
        catch {
            $wait = Get-RetryAfter $_ $attempt
            if ($wait -lt 0 -or $attempt -ge $MaxAttempts) { throw }
            Write-Warning "Throttled (HTTP 429): waiting $wait s before attempt $($attempt + 1)."
            Start-Sleep -Seconds $wait
        }
    }
}

# --- read the plan and the log of earlier runs
if (-not (Test-Path -LiteralPath $PlanPath)) { throw "Plan not found: $PlanPath" }
if (-not $ResultsPath) { $ResultsPath = [IO.Path]::ChangeExtension($PlanPath, '.results.csv') }
$rows = @(Import-Csv -LiteralPath $PlanPath -Encoding UTF8)
if ($rows.Count -gt 0) {
    $header = @($rows[0].PSObject.Properties.Name)
    $missing = @($Columns | Where-Object { $header -notcontains $_ })
    if ($missing.Count -gt 0) { throw "$PlanPath is not a plan CSV: missing $($missing -join ', ')" }
}
$done = @{}   # action_id -> what was done, so a log of another plan never skips anything
if (Test-Path -LiteralPath $ResultsPath) {
    foreach ($logged in @(Import-Csv -LiteralPath $ResultsPath -Encoding UTF8)) {
        if ($logged.outcome -eq 'Done') { $done[(Get-Cell $logged 'action_id')] = Get-Cell $logged 'signature' }
    }
}
$work = @($rows | Where-Object {
        $n = [int] (Get-Cell $_ 'batch')
        (($Runnable -contains (Get-Cell $_ 'kind')) -and $n -gt 0 -and
            ($Batch.Count -eq 0 -or $Batch -contains $n))
    })
Write-Host "$($work.Count) actions in $PlanPath; $($done.Count) already done per $ResultsPath."

# --- sign in with the least scopes the work needs (only when changing something)
$scopes = @('LicenseAssignment.ReadWrite.All')
if (@($work | Where-Object { (Get-Cell $_ 'kind') -eq 'set-usage-location' }).Count -gt 0) {
    $scopes += 'User.ReadWrite.All'   # usageLocation is a user property
}
if (-not $Preview) {
    Import-Module -Name @('Microsoft.Graph.Authentication', 'Microsoft.Graph.Users',
        'Microsoft.Graph.Users.Actions', 'Microsoft.Graph.Groups')
    $connect = @{ Scopes = $scopes }
    if ($TenantId) { $connect.TenantId = $TenantId }
    Connect-MgGraph @connect
}

# --- one call per row, in plan order
$failedLocation = @{}
foreach ($row in $work) {
    $actionId = Get-Cell $row 'action_id'
    $kind = Get-Cell $row 'kind'
    $user = Get-Cell $row 'user_id'
    if ($user -notmatch $GuidPattern) { $user = Get-Cell $row 'upn' }
    $group = Get-Cell $row 'group_id'
    $subject = if ($kind -eq 'group-swap') { $group } else { $user }
    $add = Get-Cell $row 'add_sku_id'
    $remove = Get-Cell $row 'remove_sku_id'
    $plans = @((Get-Cell $row 'disabled_plan_ids_after') -split ';' | Where-Object { $_ })
    $location = Get-Cell $row 'new_usage_location'
    $signature = "$kind|$subject|$add|$remove|$($plans -join ',')|$location"
    if ($done.ContainsKey($actionId) -and $done[$actionId] -eq $signature) { continue }

    $problem = ''
    if (-not $subject) { $problem = 'no user or group id' }
    elseif ($kind -eq 'group-swap' -and $group -notmatch $GuidPattern) { $problem = 'group id is not a GUID' }
    elseif (($add -and $add -notmatch $GuidPattern) -or ($remove -and $remove -notmatch $GuidPattern) -or
        @($plans | Where-Object { $_ -notmatch $GuidPattern }).Count -gt 0) { $problem = 'license id is not a GUID' }
    # removing without adding: an opt-in reclaim; a rollback row (R...) undoing an add; or a
    # user/group that keeps the target it already holds or gets from the group it names
    elseif ($remove -and -not $add -and $kind -ne 'reclaim' -and -not $actionId.StartsWith('R') -and
        -not (Get-Cell $row 'target_before') -and -not $group) { $problem = 'refused: removes a license without adding one' }
    elseif ($kind -ne 'set-usage-location' -and -not $add -and -not $remove) { $problem = 'nothing to add or remove' }
    elseif ($failedLocation.ContainsKey($subject)) { $problem = 'skipped: setting the usage location failed' }

    $outcome = 'Done'; $message = ''; $attempts = 0
    if ($problem) { $outcome = 'Failed'; $message = $problem }
    elseif ($Preview) {
        $outcome = 'WhatIf'
        $message = "$kind $subject add=[$add] remove=[$remove] disabled=[$($plans -join ',')] location=[$location]"
        Write-Host "What if: $actionId $message"
    }
    else {
        $addList = @()
        if ($add) { $addList = @(@{ SkuId = $add; DisabledPlans = $plans }) }
        $removeList = @()
        if ($remove) { $removeList = @($remove) }
        $call = switch ($kind) {
            'set-usage-location' {
                if ($location) { { Update-MgUser -UserId $subject -UsageLocation $location } }
                else { { Update-MgUser -UserId $subject -BodyParameter @{ usageLocation = $null } } }
            }
            'group-swap' {
                {
                    $body = @{ addLicenses = @($addList | ForEach-Object { @{ skuId = $_.SkuId; disabledPlans = $_.DisabledPlans } })
                        removeLicenses = $removeList }
                    Set-MgGroupLicense -GroupId $subject -BodyParameter $body
                }
            }
            default { { Set-MgUserLicense -UserId $subject -AddLicenses $addList -RemoveLicenses $removeList } }
        }
        try { $attempts = Invoke-WithRetry $call.GetNewClosure() }
        catch { $outcome = 'Failed'; $message = "$_" }
    }
    if ($outcome -eq 'Failed' -and $kind -eq 'set-usage-location') { $failedLocation[$subject] = $true }
    if ($outcome -eq 'Failed') { Write-Warning "$actionId $kind $subject failed: $message" }
    [pscustomobject]@{
        action_id = $actionId
        kind      = $kind
        batch     = Get-Cell $row 'batch'
        target    = Protect-Cell $subject
        outcome   = $outcome
        attempts  = $attempts
        message   = Protect-Cell $message
        signature = Protect-Cell $signature
        time_utc  = [DateTime]::UtcNow.ToString('o')
    } | Export-Csv -LiteralPath $ResultsPath -Append -NoTypeInformation -Encoding UTF8
}
Write-Host "Outcomes logged to $ResultsPath. Export users again and run e4-playbook verify."
