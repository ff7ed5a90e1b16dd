import { ApiException, CoreV1Api, KubeConfig, type V1ConfigMap, type V1ConfigMapList } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import pino from 'pino';
import { ResilientInformer, type InformerOptions } from './resilient-informer';

/**
 * Real: the kube-apiserver of `make k8s-up` (lists, watches, their timeouts and errors).
 * Stubbed: nothing, except list functions that fail or hide an object on purpose.
 */
const ROOT = resolve(__dirname, '../../..');
const NAMESPACE = 'informer-test';
const kubeConfig = new KubeConfig();
const logger = pino({ level: 'silent' });
let core: CoreV1Api;

/** ConfigMaps of one test carry its own label, so each test watches a collection no other test touches. */
function newTestLabel(): { key: string; value: string; selector: string } {
  const value = randomUUID().slice(0, 8);
  return { key: 'informer-test-run', value, selector: `informer-test-run=${value}` };
}

function newConfigMapInformer(selector: string, overrides: Partial<InformerOptions<V1ConfigMap>> = {}) {
  const events: string[] = [];
  const sut = new ResilientInformer<V1ConfigMap>({
    kubeConfig,
    path: `/api/v1/namespaces/${NAMESPACE}/configmaps`,
    labelSelector: selector,
    list: () => core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: selector }),
    onChange: (object, event) => events.push(`${event} ${object.metadata!.name}`),
    logger,
    restartDelayMs: 50,
    ...overrides,
  });
  return { sut, events };
}

function createConfigMap(name: string, label: { key: string; value: string }, data: Record<string, string>): Promise<V1ConfigMap> {
  return core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name, labels: { [label.key]: label.value } }, data } });
}

describe('ResilientInformer', () => {
  let sut: ResilientInformer<V1ConfigMap> | undefined;
  let label: ReturnType<typeof newTestLabel>;

  beforeAll(async () => {
    execFileSync(resolve(ROOT, 'scripts/k8s.sh'), ['up'], { stdio: 'pipe' });
    kubeConfig.loadFromFile(resolve(ROOT, '.local/k8s/kubeconfig'));
    core = kubeConfig.makeApiClient(CoreV1Api);
    try {
      await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409)) throw error;
    }
  });
  beforeEach(() => {
    label = newTestLabel();
  });
  afterEach(async () => {
    await sut?.stop();
    sut = undefined;
    await core.deleteCollectionNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: label.selector });
  });

  it('reports the add, update and delete of a ConfigMap and answers from its cache', async () => {
    const informer = newConfigMapInformer(label.selector);
    sut = informer.sut;
    await sut.start();
    expect(sut.list()).toEqual([]);

    await createConfigMap('menu', label, { price: '45000' });
    await vi.waitFor(() => expect(informer.events).toEqual(['add menu']));
    expect(sut.get('menu', NAMESPACE)?.data).toEqual({ price: '45000' });

    const stored = await core.readNamespacedConfigMap({ name: 'menu', namespace: NAMESPACE });
    await core.replaceNamespacedConfigMap({ name: 'menu', namespace: NAMESPACE, body: { ...stored, data: { price: '50000' } } });
    await vi.waitFor(() => expect(informer.events).toEqual(['add menu', 'update menu']));
    expect(sut.get('menu', NAMESPACE)?.data).toEqual({ price: '50000' });

    await core.deleteNamespacedConfigMap({ name: 'menu', namespace: NAMESPACE });
    await vi.waitFor(() => expect(informer.events).toEqual(['add menu', 'update menu', 'delete menu']));
    expect(sut.get('menu', NAMESPACE)).toBeUndefined();
    expect(sut.list()).toEqual([]);
  });

  it('has the objects that existed before it started in its cache, as adds, when start resolves', async () => {
    await createConfigMap('opening-hours', label, { open: '07:00' });
    await createConfigMap('tables', label, { count: '12' });
    const informer = newConfigMapInformer(label.selector);
    sut = informer.sut;
    await sut.start();
    expect(informer.events.sort()).toEqual(['add opening-hours', 'add tables']);
    expect(
      sut
        .list()
        .map((object) => object.metadata!.name)
        .sort(),
    ).toEqual(['opening-hours', 'tables']);
    expect(sut.get('tables')).toBeUndefined(); // namespaced objects are found with their namespace
  });

  it('restarts a watch that went silent, and still delivers a later change', async () => {
    const informer = newConfigMapInformer(label.selector, { stallTimeoutMs: 300 });
    sut = informer.sut;
    await sut.start();
    await vi.waitFor(() => expect(sut!.restarts).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
    await createConfigMap('late-change', label, { at: 'after the restart' });
    await vi.waitFor(() => expect(informer.events).toEqual(['add late-change']), { timeout: 10_000 });
    expect(sut.get('late-change', NAMESPACE)).toBeDefined();
  });

  it('reports as deleted an object that is gone from the list made on restart', async () => {
    let hideTheMenu = false;
    const informer = newConfigMapInformer(label.selector, {
      stallTimeoutMs: 300,
      // Stands for a delete the stalled watch never delivered: the object is gone from the next list.
      list: async () => {
        const listed: V1ConfigMapList = await core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: label.selector });
        return hideTheMenu ? { ...listed, items: listed.items.filter((object) => object.metadata!.name !== 'menu') } : listed;
      },
    });
    sut = informer.sut;
    await createConfigMap('menu', label, { price: '45000' });
    await sut.start();
    expect(informer.events).toEqual(['add menu']);
    hideTheMenu = true;
    await vi.waitFor(() => expect(informer.events).toEqual(['add menu', 'delete menu']), { timeout: 10_000 });
    expect(sut.get('menu', NAMESPACE)).toBeUndefined();
  });

  it('recovers from a list that fails, and then delivers changes', async () => {
    let lists = 0;
    const informer = newConfigMapInformer(label.selector, {
      list: async () => {
        lists += 1;
        if (lists === 1) throw new Error('connection refused');
        return core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: label.selector });
      },
    });
    sut = informer.sut;
    await sut.start();
    expect(sut.restarts).toBe(1);
    await createConfigMap('after-failure', label, {});
    await vi.waitFor(() => expect(informer.events).toEqual(['add after-failure']));
  });

  it('keeps a quiet but healthy watch without restarting it', async () => {
    let lists = 0;
    // The API server ends each watch after a second here, so the watch reconnects several times.
    const informer = newConfigMapInformer(label.selector, {
      stallTimeoutMs: 2_500,
      list: () => {
        lists += 1;
        return core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: label.selector });
      },
    });
    sut = informer.sut;
    await sut.start();
    // Three reconnects after the first watch: three seconds without an event, more than the
    // stall timeout, so a watch whose reconnects did not count as life would have been restarted.
    await vi.waitFor(() => expect(sut!.connects).toBeGreaterThanOrEqual(4), { timeout: 10_000 });
    expect(sut.restarts).toBe(0);
    expect(lists).toBe(1);
    await createConfigMap('still-watched', label, {});
    await vi.waitFor(() => expect(informer.events).toEqual(['add still-watched']));
  });

  it('keeps delivering when the change handler throws', async () => {
    const delivered: string[] = [];
    const informer = newConfigMapInformer(label.selector, {
      onChange: (object) => {
        delivered.push(object.metadata!.name!);
        if (object.metadata!.name === 'first') throw new Error('handler bug');
      },
    });
    sut = informer.sut;
    await sut.start();
    await createConfigMap('first', label, {});
    await createConfigMap('second', label, {});
    await vi.waitFor(() => expect(delivered).toEqual(['first', 'second']));
    expect(sut.get('first', NAMESPACE)).toBeDefined();
    expect(sut.restarts).toBe(0);
  });

  it('delivers nothing after it is stopped', async () => {
    const informer = newConfigMapInformer(label.selector);
    sut = informer.sut;
    await sut.start();
    // A second informer of the same collection, left running: once it has the change, the
    // stopped one would have had it too.
    const witness = newConfigMapInformer(label.selector);
    await witness.sut.start();
    try {
      await sut.stop();
      await createConfigMap('unseen', label, {});
      await vi.waitFor(() => expect(witness.events).toEqual(['add unseen']));
      expect(informer.events).toEqual([]);
    } finally {
      await witness.sut.stop();
    }
  });

  it('rejects start when stopped before the first list arrived', async () => {
    const informer = newConfigMapInformer(label.selector, { list: () => new Promise(() => undefined) });
    sut = informer.sut;
    const starting = sut.start();
    await sut.stop();
    await expect(starting).rejects.toThrow(/stopped before its first list/);
  });
});
