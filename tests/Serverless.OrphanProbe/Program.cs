using Serverless.Testing;

// A test process in miniature: starts `sleep` through ChildProcess as every fixture starts its processes, prints the
// child's pid, and waits until it is killed (OrphanTests kills it with -9 and looks for the child).
await using var child = ChildProcess.Start("sleep", ["600"], new Dictionary<string, string?>(), Path.GetTempPath());
Console.WriteLine(child.Id);
await Task.Delay(Timeout.Infinite);
