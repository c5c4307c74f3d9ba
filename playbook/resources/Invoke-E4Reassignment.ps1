<#
.SYNOPSIS
    Moves users off Office 365 E4 exactly as plan.csv (written by e4-playbook) says.

.DESCRIPTION
    The same script for every tenant: every user, group and license id comes from the plan
    CSV; none is written in this file. Without -Execute it only shows what it would do.

    Each user gets ONE Set-MgUserLicense call that adds the new plan and removes E4 together,
    so there is no moment without a license. Groups get one Set-MgGroupLicense call. A user
    without usage location gets Update-MgUser first (same batch, earlier row).
    Throttled calls (HTTP status 429 in the response) wait for Retry-After, then retry.
    Before anything runs, the plan file's sha256 is checked against the one plan.json (beside
    it) recorded for it with the plan id: a plan.csv edited, re-saved or copied from another
    plan is refused. Every outcome is appended to a results CSV with the plan id; a new run of
    the same plan skips actions that file shows as Done with the same content, so an
    interrupted run simply resumes. Delete the results file to run everything again.

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
    # The CSV puts ' before a formula start (or a ') wherever a spreadsheet field can begin:
    # at the cell's start and after each , ; CR or LF in it. Removing one ' at each of those
    # places gives the value back exactly. Values are only ever passed as parameters, never
    # run as code.
    $value = ([string] $Row.$Name) -replace '(^|[,;\r\n])''', '$1'
    return $value.Trim()
}

function Protect-Cell([string] $Text) {
    # The results CSV may be opened in Excel (split on , or ;) too: the same escape.
    return $Text -replace '(^|[,;\r\n])(?=[=+\-@\t\r''"])', '$1'''
}

function Format-Printable([string] $Text) {
    # What the console shows: control characters (ESC, BEL, ...) and text-direction
    # overrides removed, so a hostile name cannot drive the terminal.
    return $Text -replace '[\x00-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]', ''
}

function Get-HttpStatus([System.Management.Automation.ErrorRecord] $Failure) {
    # The HTTP status of a failed Graph call, read from the response (0 when there is none).
    # Only the response counts: a message that merely holds "429" (a UPN x429@...) is no
    # throttling.
    $exception = $Failure.Exception
    foreach ($source in @($exception.PSObject.Properties['Response'], $exception.PSObject.Properties['StatusCode'])) {
        if (-not $source -or -not $source.Value) { continue }
        $value = $source.Value
        if ($source.Name -eq 'Response') {
            if (-not $value.PSObject.Properties['StatusCode']) { continue }
            $value = $value.StatusCode
        }
        try { return [int] $value } catch { }
    }
    try {
        # Graph's error body: {"error": {"code": "TooManyRequests", ...}}
        if ($Failure.ErrorDetails -and $Failure.ErrorDetails.Message) {
            $body = $Failure.ErrorDetails.Message | ConvertFrom-Json -ErrorAction Stop
            if ($body.error.code -eq 'TooManyRequests') { return 429 }
        }
    }
    catch { }   # not JSON: not a Graph error body
    return 0
}

function Get-RetryAfter([System.Management.Automation.ErrorRecord] $Failure, [int] $Attempt) {
    # Seconds to wait when the call was throttled (HTTP 429); -1 when it was not throttled.
    if ((Get-HttpStatus $Failure) -ne 429) { return -1 }
    $response = $null
    if ($Failure.Exception.PSObject.Properties['Response']) { $response = $Failure.Exception.Response }
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

# --- read the plan, check it is the one plan.json describes, read the log of earlier runs
if (-not (Test-Path -LiteralPath $PlanPath)) { throw (Format-Printable "Plan not found: $PlanPath") }
$planJsonPath = Join-Path (Split-Path -Parent (Resolve-Path -LiteralPath $PlanPath).Path) 'plan.json'
if (-not (Test-Path -LiteralPath $planJsonPath)) {
    throw (Format-Printable "plan.json not found beside $($PlanPath): copy the whole plan/ folder")
}
$planHeader = Get-Content -LiteralPath $planJsonPath -Raw -Encoding UTF8 | ConvertFrom-Json
$planId = ''
if ($planHeader.PSObject.Properties['plan_id']) { $planId = [string] $planHeader.plan_id }
$planName = Split-Path -Leaf $PlanPath
$wantHash = ''
if ($planHeader.PSObject.Properties['file_sha256'] -and $planHeader.file_sha256.PSObject.Properties[$planName]) {
    $wantHash = ([string] $planHeader.file_sha256.$planName).ToLowerInvariant()
}
$gotHash = (Get-FileHash -LiteralPath $PlanPath -Algorithm SHA256).Hash.ToLowerInvariant()
if (-not $planId -or -not $wantHash -or $gotHash -ne $wantHash) {
    throw (Format-Printable ("$PlanPath is not the file plan.json's plan $planId was written with " +
            "(changed, re-saved or from another plan): write the plan again with e4-playbook plan"))
}
if (-not $ResultsPath) { $ResultsPath = [IO.Path]::ChangeExtension($PlanPath, '.results.csv') }
$rows = @(Import-Csv -LiteralPath $PlanPath -Encoding UTF8)
if ($rows.Count -gt 0) {
    $header = @($rows[0].PSObject.Properties.Name)
    $missing = @($Columns | Where-Object { $header -notcontains $_ })
    if ($missing.Count -gt 0) { throw (Format-Printable "$PlanPath is not a plan CSV: missing $($missing -join ', ')") }
}
$done = @{}   # action_id -> what was done in this plan, so a log of another plan skips nothing
if (Test-Path -LiteralPath $ResultsPath) {
    $logs = @(Import-Csv -LiteralPath $ResultsPath -Encoding UTF8)
    if ($logs.Count -gt 0 -and -not $logs[0].PSObject.Properties['plan_id']) {
        throw (Format-Printable "$ResultsPath was written by an older script (no plan_id): move it aside or pass -ResultsPath")
    }
    foreach ($logged in $logs) {
        if ($logged.outcome -eq 'Done' -and (Get-Cell $logged 'plan_id') -eq $planId) {
            $done[(Get-Cell $logged 'action_id')] = Get-Cell $logged 'signature'
        }
    }
}
$work = @($rows | Where-Object {
        $n = [int] (Get-Cell $_ 'batch')
        (($Runnable -contains (Get-Cell $_ 'kind')) -and $n -gt 0 -and
            ($Batch.Count -eq 0 -or $Batch -contains $n))
    })
Write-Host (Format-Printable "Plan $($planId): $($work.Count) actions in $PlanPath; $($done.Count) already done per $ResultsPath.")

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
        Write-Host (Format-Printable "What if: $actionId $message")
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
    if ($outcome -eq 'Failed') { Write-Warning (Format-Printable "$actionId $kind $subject failed: $message") }
    [pscustomobject]@{
        plan_id   = $planId
        action_id = Protect-Cell $actionId
        kind      = Protect-Cell $kind
        batch     = Protect-Cell (Get-Cell $row 'batch')
        target    = Protect-Cell $subject
        outcome   = $outcome
        attempts  = $attempts
        message   = Protect-Cell $message
        signature = Protect-Cell $signature
        time_utc  = [DateTime]::UtcNow.ToString('o')
    } | Export-Csv -LiteralPath $ResultsPath -Append -NoTypeInformation -Encoding UTF8
}
Write-Host (Format-Printable "Outcomes logged to $ResultsPath. Export users again and run e4-playbook verify.")
