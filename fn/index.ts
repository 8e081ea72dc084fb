/**
 * The public core: the one module the front ends import (the KRM entry fn/main.ts, the command line fn/cli/,
 * the wizard page web/; eslint.config.mjs keeps them to it). What a front end needs is named here, one
 * export at a time; everything else is the core's own business and free to change.
 */

// The KRM function: a ResourceList in, the ResourceList with the workloads injected and the results out.
export { run, stream, type RunOutput, type RunStatus } from './krm/run';
export { failure } from './failure';
// Reading data of any shape: whether a value is a map (not a list, not null).
export { isObject } from './shape';
export { printable, printableJson, printableName } from './printable';
export { failedResourceList } from './krm/write';
// A write to stdout that failed (a full disk): the environment, reported as such by every front end.
export { cannotWrite, WriteError } from './write-error';
export { NotUtf8, utf8Text } from './utf8';

// The package pass: files in, each file as the function writes it and one outcome per document out.
export { processPackage, type PackageFile, type PackageOptions, type ProcessedFile } from './package/process-package';
export { PackageSession } from './package/session';
export { documentsOf, fileWorkloads, workloadText, type FileWorkload } from './package/file-workloads';
export { workloadId, type WorkloadFacts } from './package/workloads';
export { annotateFile, type AnnotatedFile, type AnnotationChanges, type WorkloadAnnotations } from './package/annotate';
export { splitDocuments } from './package/stream';
export {
  annotatePackage,
  annotationChanges,
  injectedWithoutOptIn,
  isChosen,
  type AnnotatedSource,
  type Choices,
} from './package/choices';
export { isJsonFile } from './package/json-file';
// What `kubectl get -o yaml` adds (status, the server's metadata, the last-applied annotation), and stripping it.
export { LAST_APPLIED_ANNOTATION, serverFields, type ServerField, type ServerFields } from './package/server-fields';

// What became of each resource, and its words.
export { allResults, CHANGES, type Change, type Outcome, type Served, type Status } from './outcome';
export { REASONS, reasonWords, type Reason } from './reasons';
export { shownStatus, why, type ShownStatus } from './describe';
export { hasErrors, krmResult, type ResourceMeta, type Result, type Severity } from './results';

// Settings: the schema's keys, the functionConfig, values written as strings (flags, a form).
export { readFunctionConfig, type ConfigProblem, type FunctionConfig } from './config/function-config';
export {
  ANNOTATION_KEYS,
  DEFAULTS,
  GROUPS as SETTING_GROUPS,
  kebab,
  PROPERTIES,
  SETTING_KEYS,
  type PropertySchema,
} from './config/schema';
export { validateSettings } from './config/validate';
// Environments: the profiles, what each sets and refuses and why (an outcome's `decided` says what it set there).
export {
  ENVIRONMENTS,
  profileLayer,
  profileTies,
  untiedProfile,
  SOURCES as ENVIRONMENT_SOURCES,
  type Environment,
  type Profile,
  type ProfileValue,
  type Refusal,
} from './config/environments';
export type { Settings, Target, WrittenSettings } from './config/settings.generated';

// Positions: the core's offsets, as lines and columns of the text they are in.
export { positions, type Position } from './yaml/position';

// YAML for front ends: data written as block YAML, and YAML (JSON included) read as plain data, or as the API
// server reads it (for JSON sent to it), or with each value's text as written (for messages that quote it).
export {
  dataToYaml as toYaml,
  readApiData,
  readData as readYaml,
  readWritten as readYamlWritten,
} from './yaml/documents';

// Helm chart templates, named as such (the malformed-YAML message says it; a parsed template is told apart).
export { HELM_TEMPLATE_HINT, isHelmTemplate } from './helm-template';

// The files the wizard offers to add: `wizard DIR` creates no other.
export { CONFIG_FILE, OFFERED_FILES } from './offered-files';

// Where the project is published (npm name, version, GitHub repository, image): package.json's.
export { COORDINATES, type Coordinates } from './coordinates';

// The names the function reads and writes.
export {
  ANNOTATION_PREFIX,
  CONFIG_API_VERSION,
  CONFIG_KIND,
  INJECT_ANNOTATION,
  INJECTED_LABEL,
  LOCAL_CONFIG_ANNOTATION,
  RECORD_ANNOTATION,
  SIDECAR,
} from './vocabulary';
