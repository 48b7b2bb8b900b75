import { uuidv7 } from '../platform/index.js';
import { seededRandom } from '../platform/index.js';


export interface DemoEvent {
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

interface Order {
  readonly id: string;
  readonly correlationId: string;
  readonly customer: string;
  readonly items: Array<{ sku: string; quantity: number; price: number }>;
  readonly plannedItems: number;
  readonly plannedUpdates: number;
  step: number;
  updates: number;
  lastEventId: string | null;
  readonly fails: boolean;
}

const SKUS = ['KB-101', 'MS-220', 'MN-270', 'HD-512', 'CB-010', 'DK-900', 'LP-140', 'CH-330', 'ST-050', 'HP-700'];
const CITIES = ['Lyon', 'Porto', 'Gdansk', 'Leeds', 'Turin', 'Ghent', 'Brno', 'Malmo', 'Cork', 'Graz'];
const CARRIERS = ['DHL', 'UPS', 'GLS', 'DPD'];

/**
 * A realistic order-to-delivery domain for the demo store: each order has an `order-…`, a `payment-…`
 * and a `shipment-…` stream; its events share a correlationId and each names the event that caused it.
 * Orders progress interleaved, as they would in production. About `events / streams` events per stream.
 */
export function* demoEvents(totalEvents: number, targetStreams: number, seed = 42): Generator<DemoEvent> {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const orders = Math.max(1, Math.round(targetStreams / 3));
  // Spread the events so the whole run makes roughly `totalEvents` events over `orders` orders.
  const perOrder = Math.max(9, totalEvents / orders);
  const extra = Math.max(0, perOrder - 9);
  const active: Order[] = [];
  let started = 0;
  let emitted = 0;

  const newOrder = (n: number): Order => ({
    id: String(100000 + n),
    correlationId: uuidv7(),
    customer: `customer-${int(1, Math.max(10, Math.round(orders / 4)))}`,
    items: [],
    plannedItems: 1 + int(0, Math.round(extra * 0.5)),
    plannedUpdates: int(0, Math.round(extra * 1.5)),
    step: 0,
    updates: 0,
    lastEventId: null,
    fails: random() < 0.04,
  });

  while (emitted < totalEvents) {
    if (started < orders && (active.length < 200 || random() < 0.05)) active.push(newOrder(started++));
    if (active.length === 0) active.push(newOrder(started++));
    const index = Math.floor(random() * active.length);
    const order = active[index]!;
    const event = nextEvent(order);
    if (event === null) {
      active.splice(index, 1);
      continue;
    }
    emitted++;
    yield event;
  }

  function make(order: Order, stream: string, type: string, data: Record<string, unknown>): DemoEvent {
    const eventId = uuidv7();
    const metadata: Record<string, unknown> = {
      correlationId: order.correlationId,
      actor: stream.startsWith('order') ? order.customer : `svc-${stream.split('-')[0]}`,
      ...(order.lastEventId === null ? {} : { causationId: order.lastEventId }),
    };
    order.lastEventId = eventId;
    return { streamId: stream, eventId, type, data, metadata };
  }

  function nextEvent(o: Order): DemoEvent | null {
    const total = () => o.items.reduce((sum, i) => sum + i.price * i.quantity, 0);
    const orderStream = `order-${o.id}`;
    const paymentStream = `payment-${o.id}`;
    const shipmentStream = `shipment-${o.id}`;
    switch (o.step) {
      case 0:
        o.step = 1;
        return make(o, orderStream, 'OrderPlaced', { orderId: o.id, customerId: o.customer, currency: 'EUR', channel: pick(['web', 'app', 'phone']) });
      case 1: {
        const item = { sku: pick(SKUS), quantity: int(1, 4), price: int(5, 400) + 0.99 };
        o.items.push(item);
        if (o.items.length >= o.plannedItems) o.step = 2;
        return make(o, orderStream, 'OrderItemAdded', { orderId: o.id, ...item });
      }
      case 2:
        o.step = 3;
        return make(o, orderStream, 'OrderConfirmed', { orderId: o.id, items: o.items.length, total: Math.round(total() * 100) / 100 });
      case 3:
        o.step = 4;
        return make(o, paymentStream, 'PaymentRequested', { orderId: o.id, amount: Math.round(total() * 100) / 100, method: pick(['card', 'sepa', 'paypal']) });
      case 4:
        if (o.fails) {
          o.step = 99;
          return make(o, paymentStream, 'PaymentFailed', { orderId: o.id, reason: pick(['insufficient_funds', 'card_expired', 'fraud_suspected']) });
        }
        o.step = 5;
        return make(o, paymentStream, 'PaymentAuthorized', { orderId: o.id, authorizationCode: Math.floor(random() * 1e8).toString(36).toUpperCase() });
      case 5:
        o.step = 6;
        return make(o, paymentStream, 'PaymentCaptured', { orderId: o.id, amount: Math.round(total() * 100) / 100 });
      case 6:
        o.step = 7;
        return make(o, shipmentStream, 'ShipmentCreated', { orderId: o.id, carrier: pick(CARRIERS), parcels: int(1, 3) });
      case 7:
        if (o.updates < o.plannedUpdates) {
          o.updates++;
          return make(o, shipmentStream, 'ShipmentLocationUpdated', { orderId: o.id, city: pick(CITIES), scan: o.updates });
        }
        o.step = 8;
        return make(o, shipmentStream, 'ShipmentDelivered', { orderId: o.id, signedBy: `recipient-${int(1, 9999)}` });
      case 99:
        o.step = 100;
        return make(o, orderStream, 'OrderCancelled', { orderId: o.id, reason: 'payment_failed' });
      default:
        return null;
    }
  }
}
