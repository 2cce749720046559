namespace Wsdoctor.Browsers.Launch;

/// <summary>The browser asked for is not installed (or cannot be started): a user's problem, not a finding.</summary>
public sealed class BrowserMissingException(string message) : Exception(message);
