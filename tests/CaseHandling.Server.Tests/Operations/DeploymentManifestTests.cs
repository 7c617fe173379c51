using System.Reflection;
using System.Text.RegularExpressions;
using CaseHandling.Server.Infrastructure.Jobs;
using CaseHandling.Server.Infrastructure.Operations;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace CaseHandling.Server.Tests.Operations;

/// <summary>
/// The Dockerfile and deploy/k8s/ cannot be built or run on these machines (no container engine). So they are read here and
/// compared with the app itself: the port it listens on (computed by the app's own code from the image's and the pod's
/// environment), the health endpoints' paths, the scrape port, every environment variable name (as a configuration key the
/// app binds: options classes found by reflection, connection strings and literal keys found in the sources), the Jobs:Mode
/// of each Deployment, Secrets and mounts, the Service, Ingress, autoscaler and NetworkPolicies' references to each other.
/// The negative cases break one thing in a copy and show that the check notices.
/// </summary>
public sealed class DeploymentManifestTests
{
    private static Dictionary<string, string> Files() =>
        Directory.GetFiles(RepoFiles.PathOf("deploy", "k8s"), "*.yaml").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    private static string Dockerfile() => File.ReadAllText(RepoFiles.PathOf("Dockerfile"));

    [Test]
    public void Manifests_MatchTheApp()
    {
        var problems = Check(Files(), Dockerfile());
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [TestCase("api.yaml", "path: /health/ready", "path: /healthz/ready", "readinessProbe")]
    [TestCase("worker.yaml", "path: /health/live", "path: /health/alive", "livenessProbe")]
    [TestCase("api.yaml", "name: Jobs__Mode", "name: Jobs_Mode", "Jobs_Mode")]
    [TestCase("api.yaml", "name: Encryption__KeyFile", "name: Encryption__KeyPath", "Encryption:KeyPath")]
    [TestCase("configmap.yaml", "Telemetry__Prometheus__Port", "Telemetry__Prometheus__Portt", "Telemetry:Prometheus:Portt")]
    [TestCase("worker.yaml", "value: \"Worker\"", "value: \"Api\"", "worker")]
    [TestCase("api.yaml", "containerPort: 8080", "containerPort: 8081", "8080")]
    [TestCase("api.yaml", "key: key-store", "key: keystore", "keystore")]
    [TestCase("api.yaml", "mountPath: /etc/casehandling/kek", "mountPath: /etc/casehandling/keks", "Encryption__KeyFile")]
    [TestCase("ingress.yaml", "name: casehandling-api", "name: casehandling", "Ingress")]
    [TestCase("api.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem")]
    [TestCase("networkpolicy.yaml", "values: [\"api\", \"worker\", \"migrate\"]", "values: [\"api\", \"migrate\"]", "PostgreSQL")]
    [TestCase("configmap.yaml", "\"9464\"", "\"9465\"", "metrics")]
    public void Manifests_OneThingWrong_Noticed(string file, string from, string to, string named)
    {
        var files = Files();
        Assert.That(files[file], Does.Contain(from), "the manifest changed: update this case");
        files[file] = files[file].Replace(from, to);
        var problems = Check(files, Dockerfile());
        Assert.That(problems, Has.Some.Contains(named), string.Join("\n", problems));
    }

    [TestCase("EXPOSE 8080 9464", "EXPOSE 80 9464", "EXPOSE")]
    [TestCase("USER 1654", "USER root", "USER")]
    [TestCase("ENTRYPOINT [\"dotnet\", \"CaseHandling.Server.dll\"]", "ENTRYPOINT [\"dotnet\", \"CaseHandling.dll\"]", "ENTRYPOINT")]
    [TestCase("ASPNETCORE_HTTP_PORTS=8080", "ASPNETCORE_HTTP_PORTS=5000", "8080")]
    [TestCase("-o /out/app/efbundle", "-o /out/efbundle", "efbundle")]
    public void Dockerfile_OneThingWrong_Noticed(string from, string to, string named)
    {
        var docker = Dockerfile();
        Assert.That(docker, Does.Contain(from), "the Dockerfile changed: update this case");
        var problems = Check(Files(), docker.Replace(from, to));
        Assert.That(problems, Has.Some.Contains(named), string.Join("\n", problems));
    }

    // ---- the check ----

    private static readonly Assembly Server = typeof(Health).Assembly;

    /// <summary>Every problem found, in words; empty when the manifests and the Dockerfile agree with the app.</summary>
    public static List<string> Check(Dictionary<string, string> files, string dockerfile)
    {
        var problems = new List<string>();
        var docs = files.SelectMany(f => Parse(f.Value).Select(d => (File: f.Key, Doc: d))).ToList();
        Dictionary<string, object?>? Find(string kind, string name) =>
            docs.Select(d => d.Doc).FirstOrDefault(d => S(d, "kind") == kind && S(d, "metadata", "name") == name);

        // The Dockerfile.
        var docker = ParseDockerfile(dockerfile);
        var stages = docker.Where(i => i.Op == "FROM").Select(i => i.Args).ToList();
        if (stages.Count < 2 || !stages[0].Contains("dotnet/sdk:10.0") || !stages[^1].Contains("dotnet/aspnet:10.0"))
            problems.Add("Dockerfile: FROM must build in dotnet/sdk:10.0 and run in dotnet/aspnet:10.0 (multi-stage)");
        var finalStage = docker.SkipWhile(i => i != docker.Last(x => x.Op == "FROM")).ToList();
        var user = finalStage.LastOrDefault(i => i.Op == "USER")?.Args;
        if (!int.TryParse(user, out var uid) || uid == 0) problems.Add($"Dockerfile: USER must be a numeric non-root user, is '{user}'");
        var entry = finalStage.LastOrDefault(i => i.Op == "ENTRYPOINT")?.Args ?? "";
        if (!entry.Contains($"\"{Server.GetName().Name}.dll\"")) problems.Add($"Dockerfile: ENTRYPOINT does not start {Server.GetName().Name}.dll: {entry}");
        var imageEnv = finalStage.Where(i => i.Op == "ENV").SelectMany(i => Regex.Matches(i.Args, @"(\w+)=(\S+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
            .ToDictionary(x => x.Item1, x => x.Item2);
        foreach (var name in imageEnv.Keys) if (UnknownSetting(name) is { } why) problems.Add($"Dockerfile: ENV {name}: {why}");
        var exposed = finalStage.Where(i => i.Op == "EXPOSE").SelectMany(i => i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).ToHashSet();
        foreach (var copy in docker.Where(i => i.Op == "COPY" && !i.Args.StartsWith("--from")))
            foreach (var source in copy.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
                if (!File.Exists(RepoFiles.PathOf(source)) && !Directory.Exists(RepoFiles.PathOf(source))) problems.Add($"Dockerfile: COPY {source}: not in the repository");
        if (!dockerfile.Contains("dotnet ef migrations bundle") || !Regex.IsMatch(dockerfile, @"-o /out/app/efbundle\b") || !dockerfile.Contains("/out/app/ /app/"))
            problems.Add("Dockerfile: the EF bundle must be built to /out/app/efbundle and copied to /app/efbundle (the migration job runs it)");
        if (!File.Exists(RepoFiles.PathOf(".dockerignore"))) problems.Add(".dockerignore is missing");

        // Every file is in the kustomization.
        var listed = (L(Find("Kustomization", "") ?? docs.Select(d => d.Doc).FirstOrDefault(d => S(d, "kind") == "Kustomization"), "resources") ?? []).Select(r => r as string).ToHashSet();
        foreach (var f in files.Keys.Where(f => f != "kustomization.yaml" && !listed.Contains(f))) problems.Add($"kustomization.yaml: {f} is not listed");

        var secrets = docs.Where(d => S(d.Doc, "kind") == "Secret").ToDictionary(d => S(d.Doc, "metadata", "name")!,
            d => (M(d.Doc, "stringData") ?? M(d.Doc, "data") ?? []).Keys.ToHashSet());
        var configMaps = docs.Where(d => S(d.Doc, "kind") == "ConfigMap").ToDictionary(d => S(d.Doc, "metadata", "name")!, d => M(d.Doc, "data") ?? []);
        foreach (var (name, data) in configMaps)
            foreach (var key in data.Keys)
                if (UnknownSetting(key) is { } why) problems.Add($"ConfigMap {name}: {key}: {why}");

        // The workloads.
        var workloads = new[] { ("Deployment", "casehandling-api", JobsMode.Api), ("Deployment", "casehandling-worker", JobsMode.Worker) };
        var podLabels = new Dictionary<string, Dictionary<string, object?>>();
        foreach (var (kind, name, mode) in workloads)
        {
            var d = Find(kind, name);
            if (d is null) { problems.Add($"{kind} {name} is missing"); continue; }
            var pod = M(d, "spec", "template", "spec")!;
            podLabels[name] = M(d, "spec", "template", "metadata", "labels") ?? [];
            var container = (L(pod, "containers") ?? []).OfType<Dictionary<string, object?>>().Single();
            var env = Environment(container, configMaps, secrets, problems, name);
            // The settings the app would read: the image's ENV, then the pod's.
            var settings = new ConfigurationBuilder().AddInMemoryCollection(AsSettings(imageEnv)).AddInMemoryCollection(AsSettings(env)).Build();
            var ports = (L(container, "ports") ?? []).OfType<Dictionary<string, object?>>().ToDictionary(p => S(p, "name")!, p => int.Parse(S(p, "containerPort")!));
            var appPorts = Telemetry.AppUrls(settings).Select(u => new Uri(u.Replace("+", "localhost").Replace("*", "localhost")).Port).ToList();
            if (!ports.TryGetValue("http", out var http) || !appPorts.Contains(http))
                problems.Add($"{name}: container port 'http' ({(ports.TryGetValue("http", out var h) ? h : "none")}) is not where the app listens ({string.Join(", ", appPorts)}; 8080 in the image)");
            if (!exposed.Contains(http)) problems.Add($"Dockerfile: EXPOSE does not list the app's port {http}");
            var metricsPort = settings.GetValue<int?>("Telemetry:Prometheus:Port");
            if (metricsPort is null || !ports.TryGetValue("metrics", out var metrics) || metrics != metricsPort)
                problems.Add($"{name}: container port 'metrics' is not Telemetry:Prometheus:Port ({metricsPort})");
            else if (!exposed.Contains(metrics)) problems.Add($"Dockerfile: EXPOSE does not list the metrics port {metrics}");
            var annotations = M(d, "spec", "template", "metadata", "annotations") ?? [];
            if (annotations.TryGetValue("prometheus.io/port", out var ap) && ap as string != metricsPort?.ToString())
                problems.Add($"{name}: annotation prometheus.io/port is not the metrics port");
            if (annotations.TryGetValue("prometheus.io/path", out var path) && path as string != new TelemetryOptions().Prometheus.Path)
                problems.Add($"{name}: annotation prometheus.io/path is not the scrape path");

            var actualMode = settings.GetValue<string>("Jobs:Mode");
            if (!Enum.TryParse<JobsMode>(actualMode, out var parsed) || parsed != mode)
                problems.Add($"{name}: Jobs:Mode is '{actualMode}', a {mode.ToString().ToLowerInvariant()} needs {mode}");

            foreach (var (probe, expected) in new[] { ("livenessProbe", Health.LivePath), ("readinessProbe", Health.ReadyPath), ("startupProbe", Health.LivePath) })
            {
                if (M(container, probe, "httpGet") is not { } get) { if (probe != "startupProbe") problems.Add($"{name}: no {probe}"); continue; }
                if (S(get, "path") != expected) problems.Add($"{name}: {probe} path '{S(get, "path")}' is not the app's {expected}");
                if (S(get, "port") is var pp && pp != "http" && pp != http.ToString()) problems.Add($"{name}: {probe} port '{pp}' is not the app's port");
            }
            Hardening(d, pod, container, uid, problems, name);

            // A key file named in the environment lies in a mounted Secret that holds a file of that name.
            foreach (var setting in new[] { "Encryption__KeyFile", "Matching__KeyFile" })
            {
                if (!env.TryGetValue(setting, out var file)) { problems.Add($"{name}: {setting} is not set (the key is held outside the database, in a Secret)"); continue; }
                var mount = (L(container, "volumeMounts") ?? []).OfType<Dictionary<string, object?>>()
                    .FirstOrDefault(m => Path.GetDirectoryName(file) == S(m, "mountPath"));
                var volume = mount is null ? null : (L(pod, "volumes") ?? []).OfType<Dictionary<string, object?>>().FirstOrDefault(v => S(v, "name") == S(mount, "name"));
                var secret = volume is null ? null : S(volume, "secret", "secretName");
                if (secret is null || !secrets.TryGetValue(secret, out var keys) || !keys.Contains(Path.GetFileName(file)))
                    problems.Add($"{name}: {setting}={file} is not a file of a mounted Secret");
            }
        }

        // The migration job: the bundle from the image, the case database's connection string.
        if (Find("Job", "casehandling-migrate") is { } job)
        {
            var pod = M(job, "spec", "template", "spec")!;
            var c = (L(pod, "containers") ?? []).OfType<Dictionary<string, object?>>().Single();
            podLabels["casehandling-migrate"] = M(job, "spec", "template", "metadata", "labels") ?? [];
            var env = Environment(c, configMaps, secrets, problems, "casehandling-migrate");
            if ((L(c, "command") ?? []).FirstOrDefault() as string != "/app/efbundle") problems.Add("migration job: command is not the image's /app/efbundle");
            if (!string.Join(" ", L(c, "args") ?? []).Contains("--connection $(CASEHANDLING_DB)") || !env.ContainsKey("CASEHANDLING_DB"))
                problems.Add("migration job: the bundle needs --connection $(CASEHANDLING_DB) with CASEHANDLING_DB from the case database's Secret");
            if (S(c, "image") != S(Find("Deployment", "casehandling-api"), "spec", "template", "spec", "containers", "0", "image"))
                problems.Add("migration job: not the app's image");
            Hardening(job, pod, c, uid, problems, "casehandling-migrate");
        }
        else problems.Add("Job casehandling-migrate is missing");

        // Service, Ingress, autoscaler.
        var service = Find("Service", "casehandling-api");
        if (service is null) problems.Add("Service casehandling-api is missing");
        else
        {
            if (!Subset(M(service, "spec", "selector"), podLabels.GetValueOrDefault("casehandling-api"))) problems.Add("Service: its selector does not select the API's pods");
            var sp = (L(service, "spec", "ports") ?? []).OfType<Dictionary<string, object?>>().ToList();
            if (sp.Count != 1 || S(sp[0], "targetPort") != "http") problems.Add("Service: exactly one port, targetPort http (never the metrics port)");
        }
        var ingress = docs.Select(d => d.Doc).FirstOrDefault(d => S(d, "kind") == "Ingress");
        if (ingress is null) problems.Add("Ingress is missing");
        else
        {
            if ((L(ingress, "spec", "tls") ?? []).Count == 0) problems.Add("Ingress: no TLS");
            var backends = (L(ingress, "spec", "rules") ?? []).OfType<Dictionary<string, object?>>()
                .SelectMany(r => (L(r, "http", "paths") ?? []).OfType<Dictionary<string, object?>>()).Select(p => M(p, "backend", "service")).ToList();
            if (backends.Count == 0 || backends.Any(b => S(b, "name") != "casehandling-api" || (S(b, "port", "name") ?? S(b, "port", "number")) is not ("http" or "80")))
                problems.Add("Ingress: every path must go to Service casehandling-api, port http");
        }
        var hpa = docs.Select(d => d.Doc).FirstOrDefault(d => S(d, "kind") == "HorizontalPodAutoscaler");
        if (hpa is null || S(hpa, "spec", "scaleTargetRef", "name") != "casehandling-api" || S(hpa, "spec", "scaleTargetRef", "kind") != "Deployment")
            problems.Add("HorizontalPodAutoscaler: must scale Deployment casehandling-api");

        // NetworkPolicies: the API only from the ingress controller (and monitoring on the metrics port); PostgreSQL only from
        // the API, the workers and the migration job.
        var policies = docs.Select(d => d.Doc).Where(d => S(d, "kind") == "NetworkPolicy").ToList();
        if (!policies.Any(p => M(p, "spec", "podSelector") is { Count: 0 } && (L(p, "spec", "policyTypes") ?? []).Contains("Ingress") && L(p, "spec", "ingress") is null))
            problems.Add("NetworkPolicy: no default deny of ingress");
        var apiPolicy = policies.FirstOrDefault(p => Subset(M(p, "spec", "podSelector", "matchLabels"), podLabels.GetValueOrDefault("casehandling-api")));
        var rules = apiPolicy is null ? [] : (L(apiPolicy, "spec", "ingress") ?? []).OfType<Dictionary<string, object?>>().ToList();
        if (apiPolicy is null || rules.Count == 0) problems.Add("NetworkPolicy: none for the API");
        foreach (var rule in rules)
        {
            var rulePorts = (L(rule, "ports") ?? []).OfType<Dictionary<string, object?>>().Select(p => S(p, "port")).ToList();
            var fromIngress = (L(rule, "from") ?? []).OfType<Dictionary<string, object?>>().Any(f => S(f, "podSelector", "matchLabels", "app.kubernetes.io/name") == "ingress-nginx");
            if (rulePorts.Count == 0 || rulePorts.Any(p => p is not ("http" or "metrics"))) problems.Add($"NetworkPolicy (API): ports must be named container ports, are {string.Join(", ", rulePorts)}");
            if (rulePorts.Contains("http") && !fromIngress) problems.Add("NetworkPolicy (API): the http port is open to more than the ingress controller");
        }
        var pg = policies.FirstOrDefault(p => S(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name") == "postgresql");
        var allowed = pg is null ? [] : (L(pg, "spec", "ingress") ?? []).OfType<Dictionary<string, object?>>()
            .SelectMany(r => (L(r, "from") ?? []).OfType<Dictionary<string, object?>>()).SelectMany(f => (L(f, "podSelector", "matchExpressions") ?? [])
                .OfType<Dictionary<string, object?>>().Where(e => S(e, "key") == "app.kubernetes.io/component").SelectMany(e => L(e, "values") ?? []))
            .Select(v => v as string).ToHashSet();
        var clients = podLabels.Values.Select(l => l.GetValueOrDefault("app.kubernetes.io/component") as string).ToHashSet();
        if (!allowed.SetEquals(clients)) problems.Add($"NetworkPolicy (PostgreSQL): allows {string.Join(", ", allowed)}; must be exactly {string.Join(", ", clients)}");
        return problems;
    }

    /// <summary>Environment variables as ASP.NET Core reads them: ASPNETCORE_X as the host setting x, Section__Key as Section:Key.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> AsSettings(Dictionary<string, string> env) => env.Select(e =>
        new KeyValuePair<string, string?>(e.Key.StartsWith("ASPNETCORE_") ? e.Key["ASPNETCORE_".Length..].ToLowerInvariant() : e.Key.Replace("__", ":"), e.Value));

    /// <summary>The container's environment (its own, and its ConfigMaps'), each name checked as a setting and each Secret reference resolved.</summary>
    private static Dictionary<string, string> Environment(Dictionary<string, object?> container, Dictionary<string, Dictionary<string, object?>> configMaps,
        Dictionary<string, HashSet<string>> secrets, List<string> problems, string who)
    {
        var env = new Dictionary<string, string>();
        foreach (var from in (L(container, "envFrom") ?? []).OfType<Dictionary<string, object?>>())
            if (S(from, "configMapRef", "name") is { } cm)
            {
                if (!configMaps.TryGetValue(cm, out var data)) problems.Add($"{who}: ConfigMap {cm} does not exist");
                else foreach (var (k, v) in data) env[k] = v as string ?? "";
            }
        foreach (var e in (L(container, "env") ?? []).OfType<Dictionary<string, object?>>())
        {
            var name = S(e, "name")!;
            if (UnknownSetting(name) is { } why) problems.Add($"{who}: env {name}: {why}");
            if (M(e, "valueFrom", "secretKeyRef") is { } secret)
            {
                if (!secrets.TryGetValue(S(secret, "name")!, out var keys) || !keys.Contains(S(secret, "key")!))
                    problems.Add($"{who}: env {name}: Secret {S(secret, "name")} has no key {S(secret, "key")}");
                env[name] = "(secret)";
            }
            else env[name] = S(e, "value") ?? "";
        }
        return env;
    }

    private static void Hardening(Dictionary<string, object?> workload, Dictionary<string, object?> pod, Dictionary<string, object?> c, int uid, List<string> problems, string who)
    {
        if (S(pod, "securityContext", "runAsNonRoot") != "true") problems.Add($"{who}: runAsNonRoot is not true");
        if (S(pod, "securityContext", "runAsUser") != uid.ToString()) problems.Add($"{who}: runAsUser is not the image's USER {uid}");
        if (S(c, "securityContext", "readOnlyRootFilesystem") != "true") problems.Add($"{who}: readOnlyRootFilesystem is not true");
        if (S(c, "securityContext", "allowPrivilegeEscalation") != "false") problems.Add($"{who}: allowPrivilegeEscalation is not false");
        foreach (var r in new[] { "requests", "limits" })
            foreach (var k in new[] { "cpu", "memory" })
                if (S(c, "resources", r, k) is null) problems.Add($"{who}: no resources.{r}.{k}");
        var tmp = (L(c, "volumeMounts") ?? []).OfType<Dictionary<string, object?>>().FirstOrDefault(m => S(m, "mountPath") == "/tmp");
        if (tmp is null || !(L(pod, "volumes") ?? []).OfType<Dictionary<string, object?>>().Any(v => S(v, "name") == S(tmp, "name") && v.ContainsKey("emptyDir")))
            problems.Add($"{who}: /tmp is not an emptyDir (the root filesystem is read-only)");
        _ = workload;
    }

    /// <summary>Null when the app reads this name (as an environment variable or, with __ for :, as a configuration key); else why not.</summary>
    private static string? UnknownSetting(string name)
    {
        if (name.StartsWith("ASPNETCORE_") || name.StartsWith("DOTNET_")) return KnownHostVariables.Contains(name) ? null : "not a host setting this app uses";
        if (SourceEnvironmentVariables.Value.Contains(name) || name is "TMPDIR") return null;
        var key = name.Replace("__", ":");
        return KnownKeys.Value.Any(k => Regex.IsMatch(key, "^" + k + "$", RegexOptions.IgnoreCase)) ? null : $"the app has no setting {key}";
    }

    private static readonly HashSet<string> KnownHostVariables =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_BUNDLE_EXTRACT_BASE_DIR", "DOTNET_NOLOGO", "DOTNET_gcServer"];

    /// <summary>Environment variables the code reads itself (e.g. the migrations' CASEHANDLING_DB).</summary>
    private static readonly Lazy<HashSet<string>> SourceEnvironmentVariables = new(() => Sources()
        .SelectMany(s => Regex.Matches(s, @"GetEnvironmentVariable\(""(\w+)""\)").Select(m => m.Groups[1].Value)).ToHashSet());

    /// <summary>
    /// Every configuration key the app binds, as patterns: the properties of each options class (a type with a Section
    /// constant), recursively (a dictionary takes any key, a list any index), the connection strings it asks for, and the
    /// literal "Section:Key" strings in its sources.
    /// </summary>
    private static readonly Lazy<List<string>> KnownKeys = new(() =>
    {
        var keys = new List<string>();
        foreach (var t in Server.GetTypes())
            if (t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f)
                Walk(t, Regex.Escape((string)f.GetRawConstantValue()!), keys, 0);
        var sources = Sources();
        keys.AddRange(sources.SelectMany(s => Regex.Matches(s, @"GetConnectionString\(""(\w+)""\)")).Select(m => "ConnectionStrings:" + m.Groups[1].Value));
        keys.AddRange(sources.SelectMany(s => Regex.Matches(s, @"""([A-Z]\w+(?::[A-Z]\w+)+)""")).Select(m => Regex.Escape(m.Groups[1].Value)));
        // A list setting (ReverseProxy:TrustedProxies) is set per index.
        keys.AddRange(keys.ToList().Select(k => k + @":\d+"));
        return keys;
    });

    private static void Walk(Type t, string prefix, List<string> keys, int depth)
    {
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || !p.PropertyType.IsValueType))
        {
            var key = $"{prefix}:{p.Name}";
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateOnly) || type == typeof(TimeSpan)
                || type == typeof(DateTimeOffset) || type == typeof(double))
                keys.Add(key);
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) keys.Add(key + @":[^:]+(:.*)?");
            else if (type.IsArray || type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) keys.Add(key + @"(:\d+)?(:.*)?");
            else if (type.IsClass && depth < 4) Walk(type, key, keys, depth + 1);
        }
    }

    private static List<string> Sources() =>
        new[] { RepoFiles.PathOf("src", "CaseHandling.Server"), RepoFiles.PathOf("migrations", "CaseHandling.Migrations") }
            .SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}2"))
            .Select(File.ReadAllText).ToList();

    // ---- YAML and Dockerfile reading ----

    private static List<Dictionary<string, object?>> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => (Dictionary<string, object?>)Plain(d.RootNode)!).ToList();
    }

    private static object? Plain(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => Plain(c.Value)),
        YamlSequenceNode s => s.Children.Select(Plain).ToList(),
        YamlScalarNode v => v.Value,
        _ => null,
    };

    private static object? At(object? node, params string[] path)
    {
        foreach (var p in path)
            node = node switch
            {
                Dictionary<string, object?> d => d.GetValueOrDefault(p),
                List<object?> l when int.TryParse(p, out var i) && i < l.Count => l[i],
                _ => null,
            };
        return node;
    }

    private static string? S(object? node, params string[] path) => At(node, path) as string;
    private static Dictionary<string, object?>? M(object? node, params string[] path) => At(node, path) as Dictionary<string, object?>;
    private static List<object?>? L(object? node, params string[] path) => At(node, path) as List<object?>;

    private static bool Subset(Dictionary<string, object?>? selector, Dictionary<string, object?>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && Equals(v, kv.Value));

    private sealed record Instruction(string Op, string Args);

    private static List<Instruction> ParseDockerfile(string text) =>
        Regex.Replace(text, @"\\\r?\n", " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2)).Select(p => new Instruction(p[0].ToUpperInvariant(), p.Length > 1 ? Regex.Replace(p[1].Trim(), @"\s+", " ") : "")).ToList();
}
