// Package k8s holds the Kubernetes manifests of a sharded run; its test
// checks them, since no cluster is reachable from the tests.
package k8s

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// manifest is the part of a Job or claim the test reads.
type manifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		AccessModes    []string `yaml:"accessModes"`
		CompletionMode string   `yaml:"completionMode"`
		Completions    int      `yaml:"completions"`
		Parallelism    int      `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				RestartPolicy string      `yaml:"restartPolicy"`
				Containers    []container `yaml:"containers"`
				Volumes       []struct {
					Name      string `yaml:"name"`
					ConfigMap *struct {
						Name string `yaml:"name"`
					} `yaml:"configMap"`
					PVC *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type container struct {
	Image   string   `yaml:"image"`
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
	Env     []struct {
		Name      string `yaml:"name"`
		ValueFrom struct {
			FieldRef struct {
				FieldPath string `yaml:"fieldPath"`
			} `yaml:"fieldRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	Mounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

func read(t *testing.T, name string) *manifest {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var m manifest
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &m
}

// TestManifests checks the fields a sharded run depends on: an Indexed
// Job whose completions match the N of --shard, the completion index in
// the shard and file names, the shared claim mounted where the shards
// write and the merge reads, and one image for both.
func TestManifests(t *testing.T) {
	pvc, shards, merge := read(t, "storage.yaml"), read(t, "shards.yaml"), read(t, "merge.yaml")
	if pvc.Kind != "PersistentVolumeClaim" || len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != "ReadWriteMany" {
		t.Errorf("storage.yaml: want a ReadWriteMany PersistentVolumeClaim, got %s %v", pvc.Kind, pvc.Spec.AccessModes)
	}
	for _, j := range []*manifest{shards, merge} {
		if j.APIVersion != "batch/v1" || j.Kind != "Job" {
			t.Errorf("%s: want a batch/v1 Job, got %s %s", j.Metadata.Name, j.APIVersion, j.Kind)
		}
		if p := j.Spec.Template.Spec.RestartPolicy; p != "Never" && p != "OnFailure" {
			t.Errorf("%s: restartPolicy %q is not allowed for a Job", j.Metadata.Name, p)
		}
		if len(j.Spec.Template.Spec.Containers) != 1 {
			t.Fatalf("%s: want one container", j.Metadata.Name)
		}
		claim := ""
		for _, v := range j.Spec.Template.Spec.Volumes {
			if v.PVC != nil {
				claim = v.Name
				if v.PVC.ClaimName != pvc.Metadata.Name {
					t.Errorf("%s: claim %q, but storage.yaml makes %q", j.Metadata.Name, v.PVC.ClaimName, pvc.Metadata.Name)
				}
			}
		}
		mounted := false
		for _, m := range j.Spec.Template.Spec.Containers[0].Mounts {
			mounted = mounted || (m.Name == claim && m.MountPath == "/runs")
		}
		if !mounted {
			t.Errorf("%s: the shared claim is not mounted at /runs", j.Metadata.Name)
		}
	}
	if shards.Spec.CompletionMode != "Indexed" {
		t.Errorf("shards.yaml: completionMode %q, want Indexed", shards.Spec.CompletionMode)
	}
	c := shards.Spec.Template.Spec.Containers[0]
	if merge.Spec.Template.Spec.Containers[0].Image != c.Image {
		t.Errorf("the merge's image %q is not the shards' %q", merge.Spec.Template.Spec.Containers[0].Image, c.Image)
	}
	env := false
	for _, e := range c.Env {
		env = env || (e.Name == "JOB_COMPLETION_INDEX" && e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
	}
	if !env {
		t.Error("shards.yaml: JOB_COMPLETION_INDEX is not taken from the completion index annotation")
	}
	args := strings.Join(c.Args, " ")
	m := regexp.MustCompile(`--shard \$\(JOB_COMPLETION_INDEX\)/(\d+) `).FindStringSubmatch(args)
	if m == nil {
		t.Fatalf("shards.yaml: no --shard $(JOB_COMPLETION_INDEX)/N in %q", args)
	}
	if n, _ := strconv.Atoi(m[1]); n != shards.Spec.Completions {
		t.Errorf("shards.yaml: --shard .../%d but completions %d", n, shards.Spec.Completions)
	}
	if !strings.Contains(args, "--trials-out /runs/q3-forecast/shard-$(JOB_COMPLETION_INDEX).parquet") {
		t.Errorf("shards.yaml: the trials do not go to a file per index in the run's directory: %q", args)
	}
	script := strings.Join(merge.Spec.Template.Spec.Containers[0].Args, " ")
	if !strings.Contains(script, "simulate merge") || !strings.Contains(script, " /runs/q3-forecast") {
		t.Errorf("merge.yaml: the merge does not read the shards' directory: %q", script)
	}
}

// TestManifestsRun runs the manifests' own commands here, with the
// cluster's paths pointed at a temporary directory and 2,000 trials in
// place of 1,000,000, each completion index in turn and then the merge
// script, and checks the merged JSON and CSV are those of one run.
func TestManifestsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs 8 shards and a merge; make test runs it without the race detector")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run the merge script")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin", "simulate")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/simulate").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	model, _ := filepath.Abs("../../examples/sample-model.yaml")
	runs := filepath.Join(dir, "runs")
	local := func(s string) string {
		s = strings.ReplaceAll(s, "/config/model.yaml", model)
		s = strings.ReplaceAll(s, "/runs", runs)
		return strings.ReplaceAll(s, "1000000", "2000")
	}
	os.MkdirAll(filepath.Join(runs, "q3-forecast"), 0o755)
	shards := read(t, "shards.yaml")
	for i := range shards.Spec.Completions {
		var args []string
		for _, a := range shards.Spec.Template.Spec.Containers[0].Args {
			args = append(args, local(strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))))
		}
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("index %d: %v\n%s", i, err, out)
		}
	}
	mc := read(t, "merge.yaml").Spec.Template.Spec.Containers[0]
	cmd := exec.Command(mc.Command[0], append(mc.Command[1:], local(strings.Join(mc.Args, " ")))...)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	one := filepath.Join(dir, "one.csv")
	want, err := exec.Command(bin, "forecast", "--model", model, "--trials", "2000", "--seed", "1", "--target", "800k", "--json", "--csv", one).Output()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(runs, "q3-forecast", "forecast.json"))
	if !bytes.Equal(got, want) {
		t.Error("the merged forecast.json differs from one run's JSON")
	}
	a, _ := os.ReadFile(one)
	b, _ := os.ReadFile(filepath.Join(runs, "q3-forecast", "forecast.csv"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("the merged forecast.csv differs from one run's CSV")
	}
}
