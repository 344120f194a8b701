import { OrderSummary } from "@point_of_sale/app/screens/product_screen/order_summary/order_summary";
import { PointsSummary } from "@points_pos/app/points_summary/points_summary";

OrderSummary.components = { ...OrderSummary.components, PointsSummary };
