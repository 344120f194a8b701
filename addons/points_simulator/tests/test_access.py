from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.points_report.tests.common import AccessCase

from .common import SimulatorCase


@tagged("post_install", "-at_install")
class TestAccess(SimulatorCase, AccessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.simulation_a = cls.simulation(days=5)
        cls.simulation_a.action_run()

    def test_points_user_runs_simulations_and_reads_results(self):
        env = self.as_user(self.points_user)
        simulation = env["points.simulation"].create({"name": "Mine", "days": 3, "orders_per_day": 2})
        simulation.action_start_from_live_pool()
        simulation.action_run()
        self.assertEqual(simulation.start_members, 2)
        self.assertEqual(len(simulation.day_ids), 3)
        self.assertTrue(simulation.cohort_ids)
        simulation.action_reset()
        simulation.action_run()
        with self.assertRaises(AccessError):
            simulation.day_ids[0].write({"price": 99})
        with self.assertRaises(AccessError):
            env["points.simulation.day"].create({"simulation_id": simulation.id, "day": 99})
        with self.assertRaises(AccessError):
            simulation.unlink()
        self.assertTrue(env["points.pool.day"].search([("pool_id", "=", self.pool.id)]))

    def test_points_manager_deletes_simulations_with_their_results(self):
        env = self.as_user(self.points_manager)
        simulation = self.simulation_a.with_env(env)
        days = simulation.day_ids
        simulation.unlink()
        self.assertFalse(days.exists())

    def test_other_company_sees_nothing(self):
        env = self.as_user(self.manager_b)
        self.assertFalse(env["points.simulation"].search([("id", "=", self.simulation_a.id)]))
        self.assertFalse(env["points.simulation.day"].search([("simulation_id", "=", self.simulation_a.id)]))
        self.assertFalse(env["points.simulation.cohort"].search([("simulation_id", "=", self.simulation_a.id)]))
        self.assertFalse(env["points.pool.day"].search([("company_id", "=", self.company.id)]))
        with self.assertRaises(AccessError):
            self.simulation_a.with_env(env).read(["result_price"])
        with self.assertRaises(AccessError):
            self.simulation_a.with_env(env).action_run()
        # Company B simulates its own (empty) live pool.
        own = env["points.simulation"].create({"name": "B", "days": 2})
        own.action_start_from_live_pool()
        own.action_run()
        self.assertEqual((own.company_id, own.pool_id.company_id, own.start_members), (self.company_b,) * 2 + (0,))

    def test_employee_without_points_group_has_no_access(self):
        env = self.as_user(self.employee)
        with self.assertRaises(AccessError):
            env["points.simulation"].search([])
        with self.assertRaises(AccessError):
            env["points.pool.day"].search([])
