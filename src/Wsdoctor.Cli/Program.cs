using Wsdoctor.Cli;

// The help texts are set while the tree is built, so their language is decided from the raw command line first.
HelpLanguage.Use(HelpLanguage.FromCommandLine(args, Environment.GetEnvironmentVariable));
var root = CommandTree.Build();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await CliHost.RunAsync(root, args, cancel.Token).ConfigureAwait(false);
